package org.omamori.portal.views;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.rma.Rma;
import org.omamori.desk.RmaDesk;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.Appliance;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.Rmas;
import org.omamori.store.TenantScope;

/**
 * Appliance faults and replacements (docs/rma.md). Staff open an RMA for a customer's appliance, check
 * it with its last heartbeat (liveness, last contact, firmware, definitions), ship a replacement (its
 * activation code shown once), record the swap, the return and the wipe, with each edition's ship-by
 * and return-by days and late ones marked, and see the appliances past their replacement age. A
 * customer follows its RMAs and says when it swapped the units.
 */
@Route("rma")
public class RmaView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Div message = new Div();
    private final TextField text = new TextField();
    private SessionUser user;

    public RmaView() {
        message.setId("rma-message");
        text.setId("rma-text");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        render(null);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("rma.title");
    }

    private Edition edition(String id) {
        return Portal.get().editions().of(Optional.of(id));
    }

    private ZonedDateTime now() {
        return Portal.get().clock().instant().atZone(Format.JST);
    }

    private void render(String result) {
        removeAll();
        if (user == null) {
            add(new NotFound());
            return;
        }
        add(new H1(getTranslation("rma.title")), message);
        message.setText(result == null ? "" : result);
        Rmas rmas = Portal.get().store().rmas();
        List<ApplianceStatus> status = Portal.get().store().fleet().status(user.scope(), Portal.get().clock().instant());
        if (user.staff()) {
            text.setLabel(getTranslation("rma.text"));
            text.setWidth("28em");
            add(text);
        }
        List<Rmas.Stored> list = rmas.list(user.scope());
        if (list.isEmpty()) {
            add(new Div(getTranslation("rma.none")));
        }
        LocalDate today = now().toLocalDate();
        for (Rmas.Stored s : list) {
            add(card(s, status, today));
        }
        if (user.staff()) {
            newRma();
            aged();
        }
    }

    private VerticalLayout card(Rmas.Stored s, List<ApplianceStatus> status, LocalDate today) {
        Rma r = s.rma();
        VerticalLayout box = new VerticalLayout();
        box.setId("rma-" + s.id());
        box.addClassName("card");
        box.add(new H2(getTranslation("rma.number") + " " + s.id() + "　" + r.state().ja() + (r.overdue(today) ? " " + getTranslation("rma.overdue") : "")));
        Div facts = new Div();
        facts.setText(getTranslation("rma.faulty") + " " + r.faulty()
                + r.replacement().map(x -> "　" + getTranslation("rma.replacement") + " " + x).orElse("")
                + r.shipBy().map(d -> "　" + getTranslation("rma.shipBy") + " " + d + (r.shippedLate() ? " " + getTranslation("rma.late") : "")).orElse("")
                + r.returnBy().map(d -> "　" + getTranslation("rma.returnBy") + " " + d + (r.returnedLate() ? " " + getTranslation("rma.late") : "")
                        + (r.operatorPaysReturn() ? "（" + getTranslation("rma.carriage") + "）" : "")).orElse("")
                + r.finding().map(f -> "　" + getTranslation("rma.finding") + ": " + f).orElse(""));
        box.add(facts);
        if (user.staff()) {
            status.stream().filter(a -> a.appliance().value().equals(r.faulty())).findFirst().ifPresent(a -> {
                Div health = new Div();
                health.setId("rma-" + s.id() + "-health");
                health.setText(getTranslation("rma.health") + ": " + getTranslation("liveness." + a.liveness().name()) + "　" + getTranslation("rma.lastContact") + " "
                        + a.lastContact().map(Format::time).orElse("—") + "　" + getTranslation("rma.firmware") + " "
                        + a.firmwareVersion().orElse("—") + "　" + getTranslation("rma.definitions") + " " + a.definitions());
                box.add(health);
            });
        }
        Grid<Rma.Step> steps = new Grid<>();
        steps.addThemeVariants(GridVariant.LUMO_COMPACT);
        steps.setAllRowsVisible(true);
        steps.addColumn(st -> Format.time(st.at().toInstant())).setHeader(getTranslation("contracts.day")).setAutoWidth(true);
        steps.addColumn(st -> st.to().ja()).setHeader(getTranslation("rma.state")).setAutoWidth(true);
        steps.addColumn(Rma.Step::what).setHeader(getTranslation("contracts.what")).setFlexGrow(3);
        steps.setItems(r.steps().reversed());
        box.add(steps);
        HorizontalLayout actions = new HorizontalLayout();
        long id = s.id();
        Actor by = user.staff() ? Actor.OPERATOR : Actor.CUSTOMER;
        if (user.staff()) {
            switch (r.state()) {
                case REPORTED -> actions.add(button(id, "confirm", (f, x, t) -> f.check(x, true, required(), t, by)),
                        button(id, "notFaulty", (f, x, t) -> f.check(x, false, required(), t, by)));
                case CONFIRMED -> actions.add(button(id, "ship", (f, x, t) -> f.ship(x, required(), t, by)));
                case SHIPPED -> actions.add(button(id, "swap", (f, x, t) -> f.swapped(x, t, by)));
                case SWAPPED -> actions.add(button(id, "returned", (f, x, t) -> f.returned(x, t, by)));
                case RETURNED -> actions.add(button(id, "erased", (f, x, t) -> f.erased(x, t, by)));
                default -> {
                }
            }
        } else if (r.state() == Rma.State.SHIPPED) {
            actions.add(button(id, "swap", (f, x, t) -> f.swapped(x, t, Actor.CUSTOMER)));
        }
        box.add(actions);
        return box;
    }

    private RmaDesk desk() {
        return new RmaDesk(Portal.get().store(), this::edition, Portal.get().brands());
    }

    private Button button(long id, String action, RmaDesk.Step step) {
        Button b = new Button(getTranslation("rma." + action), e -> {
            String result;
            try {
                Rmas.Saved saved = desk().step(user.scope(), id, step, now());
                result = getTranslation("rma.number") + " " + id + ": " + saved.stored().rma().state().ja()
                        + saved.activationCode().map(c -> "　" + getTranslation("rma.code") + " " + c).orElse("");
            } catch (IllegalArgumentException | IllegalStateException ex) {
                result = ex.getMessage();
            }
            text.clear();
            render(result);
        });
        b.setId("rma-" + id + "-" + action);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return b;
    }

    private String required() {
        String v = text.getValue() == null ? "" : text.getValue().strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(getTranslation("rma.text") + "?");
        }
        return v;
    }

    /** Staff: an RMA for one of the customers' appliances (a fault reported by phone, mail or a FAULT ticket). */
    private void newRma() {
        List<Appliance> appliances = Portal.get().store().tenants().appliances(user.scope());
        ComboBox<Appliance> appliance = new ComboBox<>(getTranslation("rma.faulty"), appliances);
        appliance.setItemLabelGenerator(a -> a.id().value());
        appliance.setId("new-rma-appliance");
        TextField ticket = new TextField(getTranslation("rma.ticket"));
        ticket.setId("new-rma-ticket");
        Button open = new Button(getTranslation("rma.open"), e -> {
            String result;
            try {
                Appliance a = Optional.ofNullable(appliance.getValue()).orElseThrow(() -> new IllegalArgumentException(getTranslation("rma.faulty") + "?"));
                Optional<Long> t = ticket.getValue().isBlank() ? Optional.empty() : Optional.of(Long.parseLong(ticket.getValue().strip()));
                long id = desk().open(user.scope(), a.id(), t, now(), Actor.CUSTOMER);
                result = getTranslation("rma.number") + " " + id + ": " + Rma.State.REPORTED.ja();
            } catch (NumberFormatException ex) {
                result = getTranslation("rma.ticket") + "?";
            } catch (IllegalArgumentException | IllegalStateException ex) {
                result = ex.getMessage();
            }
            render(result);
        });
        open.setId("new-rma-open");
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2(getTranslation("rma.new")), new HorizontalLayout(appliance, ticket), open);
    }

    /** Staff: appliances past their edition's replacement age (seed 000 §3.1: 7 years). */
    private void aged() {
        List<Rmas.Aged> aged = Portal.get().store().rmas().pastReplacementAge(user.scope(), now().toLocalDate(), this::edition);
        add(new H2(getTranslation("rma.aged")));
        if (aged.isEmpty()) {
            add(new Div(getTranslation("rma.agedNone")));
            return;
        }
        Grid<Rmas.Aged> grid = new Grid<>();
        grid.setId("rma-aged");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(a -> a.appliance().value()).setHeader(getTranslation("rma.faulty"));
        grid.addColumn(Rmas.Aged::customerName).setHeader(getTranslation("contracts.customer"));
        grid.addColumn(Rmas.Aged::name);
        grid.addColumn(a -> a.manufactured().toString()).setHeader(getTranslation("rma.manufactured"));
        grid.addColumn(a -> a.flaggedFrom().toString()).setHeader(getTranslation("rma.flaggedFrom"));
        grid.setItems(aged);
        add(grid);
    }
}
