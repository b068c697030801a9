package org.omamori.portal.views;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.accounts.AccountRole;
import org.omamori.notify.FaultMail;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.Faults;

/**
 * Faults A/B/Z (000 §9.2–9.3, docs/monitor.md) for operators: open and last week's, with the same
 * confirm (mails the affected customers of an A/B fault once) and resolve actions as
 * {@code ./omamori cloud faults}.
 */
@Route("operator/faults")
public class FaultsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Grid<Faults.Entry> grid = new Grid<>();
    private final Div message = new Div();
    private SessionUser user;

    public FaultsView() {
        grid.setId("faults");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(Faults.Entry::id).setHeader("ID").setAutoWidth(true);
        grid.addColumn(f -> f.level().name()).setHeader(getTranslation("faults.level")).setAutoWidth(true);
        grid.addColumn(Faults.Entry::key).setHeader(getTranslation("faults.key"));
        grid.addColumn(f -> Format.time(f.detectedAt())).setHeader(getTranslation("faults.detected"));
        grid.addColumn(f -> f.confirmedAt().map(t -> Format.time(t) + " " + f.confirmedBy().orElse(""))
                .orElse(f.level().notifiesCustomers() && f.open() ? getTranslation("faults.unconfirmed") : "—"))
                .setHeader(getTranslation("faults.confirmed"));
        grid.addColumn(f -> f.resolvedAt().map(t -> Format.time(t)).orElse(getTranslation("faults.open")))
                .setHeader(getTranslation("faults.resolved"));
        grid.addColumn(f -> f.affected().all() ? "ALL"
                : f.affected().customers().stream().map(c -> Long.toString(c.value())).sorted().collect(Collectors.joining(",")))
                .setHeader("affected");
        grid.addColumn(Faults.Entry::summary).setHeader(getTranslation("faults.summary")).setFlexGrow(3);
        grid.addComponentColumn(f -> {
            HorizontalLayout actions = new HorizontalLayout();
            if (f.open() && f.level().notifiesCustomers() && f.confirmedAt().isEmpty()) {
                Button confirm = new Button(getTranslation("faults.confirm"), e -> act(() -> {
                    int mails = faults().confirm(f.id(), user.loginId(), composer());
                    return f.id() + ": " + mails + " mails";
                }));
                confirm.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_PRIMARY);
                actions.add(confirm);
            }
            if (f.open()) {
                Button resolve = new Button(getTranslation("faults.resolve"), e -> act(() -> {
                    faults().resolve(f.id(), user.loginId(), composer());
                    return f.id() + ": " + getTranslation("faults.resolved");
                }));
                resolve.addThemeVariants(ButtonVariant.LUMO_SMALL);
                actions.add(resolve);
            }
            return actions;
        }).setAutoWidth(true);
        message.setId("faults-message");
        add(new H1(getTranslation("faults.title")), message, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        if (user == null || user.role() != AccountRole.OPERATOR) {
            removeAll();
            add(new NotFound());
            return;
        }
        refresh();
    }

    private static Faults faults() {
        return Portal.get().store().faults();
    }

    private static Faults.Composer composer() {
        return (fault, to) -> FaultMail.compose(Portal.get().brands().of(to.edition()), to.to(), fault);
    }

    private void act(java.util.function.Supplier<String> action) {
        message.setText(action.get());
        refresh();
    }

    private void refresh() {
        Instant since = Portal.get().clock().instant().minus(Duration.ofDays(7));
        grid.setItems(faults().recent(since, 200));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("faults.title");
    }
}
