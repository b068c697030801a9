package org.omamori.portal.views;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.SecurityStatus;
import org.omamori.store.Statistics;

/**
 * The dashboard (docs/portal.md): the security status over a chosen period, the two buttons to the
 * alert list, one card per appliance, announcements; a customer without an appliance yet sees how
 * to start.
 */
@Route("")
public class DashboardView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final Map<Integer, String> PERIODS = Map.of(7, "period.7", 30, "period.30", 90, "period.90");

    private SessionUser user;
    private CustomerId customer;
    private final Select<Integer> period = new Select<>();
    private final VerticalLayout body = new VerticalLayout();

    public DashboardView() {
        period.setLabel(getTranslation("dashboard.period"));
        period.setId("period");
        period.setItems(7, 30, 90);
        period.setItemLabelGenerator(d -> getTranslation(PERIODS.get(d)));
        period.setValue(30);
        period.addValueChangeListener(e -> render());
        body.setPadding(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        if (user == null) {
            return;
        }
        Optional<CustomerId> c = Viewed.customer(user, event);
        removeAll();
        if (c.isEmpty()) {
            if (user.staff()) {
                event.forwardTo(CustomersView.class);
                return;
            }
            add(new NotFound());
            return;
        }
        customer = c.get();
        add(new H1(getTranslation("dashboard.title")), period, body);
        render();
    }

    private void render() {
        body.removeAll();
        Instant now = Portal.get().clock().instant();
        Instant[] period = Format.lastDays(now, this.period.getValue());
        Instant from = period[0];
        Instant to = period[1];
        Statistics stats = Portal.get().store().statistics();
        Optional<SecurityStatus> status = stats.status(user.scope(), customer, from, to);
        if (status.isEmpty()) {
            body.add(new NotFound());
            return;
        }
        SecurityStatus s = status.get();
        if (user.staff()) {
            Paragraph readOnly = new Paragraph(getTranslation("dashboard.readOnly", customerName()));
            readOnly.addClassName("read-only");
            RouterLink manage = new RouterLink(getTranslation("manage.link"), CustomerAdminView.class);
            manage.setQueryParameters(Viewed.keep(user, customer));
            manage.setId("manage-customer");
            HorizontalLayout links = new HorizontalLayout();
            links.setWrap(true);
            links.addClassName("staff-links");
            for (var target : List.<Class<? extends com.vaadin.flow.component.Component>>of(AlertListView.class,
                    AppliancesView.class, CompareView.class)) {
                RouterLink l = new RouterLink(getTranslation(target == AlertListView.class ? "nav.alerts"
                        : target == AppliancesView.class ? "nav.appliances" : "nav.compare"), target);
                l.setQueryParameters(Viewed.keep(user, customer));
                links.add(l);
            }
            links.add(manage);
            body.add(readOnly, links);
        }
        List<ApplianceStatus> appliances = Viewed.appliances(customer, now);
        body.add(Announcements.forCustomer(this, user, customer, now));
        if (appliances.isEmpty()) {
            Div none = new Div(new H2(getTranslation("dashboard.noAppliance.title")),
                    new Paragraph(getTranslation("dashboard.noAppliance.text")));
            none.setId("no-appliance");
            none.addClassName("card");
            body.add(none);
            return;
        }
        Div banner = new Div();
        banner.setId("status-banner");
        banner.addClassNames("status", s.problemFound() ? "problem" : "fine");
        banner.add(new H2(getTranslation(s.problemFound() ? "dashboard.problem" : "dashboard.fine")));
        banner.add(new Paragraph(getTranslation("dashboard.summary", s.threatTotal(), s.importantAlerts(),
                s.appliances().stopped())));
        String suffix = Viewed.suffix(user, customer);
        Button details = new Button(getTranslation("dashboard.details"), e -> navigate("alerts" + suffix));
        details.setId("details");
        Button problems = new Button(getTranslation("dashboard.problems"),
                e -> navigate("alerts" + (suffix.isEmpty() ? "?" : suffix + "&") + "grade=HIGH"));
        problems.setId("problems");
        problems.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        banner.add(new HorizontalLayout(details, problems));
        body.add(banner);

        FlexLayout cards = new FlexLayout();
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        cards.addClassName("cards");
        for (ApplianceStatus a : appliances) {
            Div card = new Div();
            card.addClassNames("card", "appliance-card", a.liveness().name().toLowerCase(java.util.Locale.ROOT));
            RouterLink link = new RouterLink(a.name().isEmpty() ? a.appliance().value() : a.name(), ApplianceView.class,
                    a.appliance().value());
            link.setQueryParameters(Viewed.keep(user, customer));
            Span id = new Span(a.appliance().value());
            id.addClassName("mono");
            Span state = new Span(getTranslation("liveness." + a.liveness().name()));
            state.addClassNames("badge", a.liveness().name().toLowerCase(java.util.Locale.ROOT));
            card.add(new H2(link), id, state,
                    new Paragraph(getTranslation("appliance.lastContact") + ": " + Format.time(a.lastContact().orElse(null))));
            cards.add(card);
        }
        body.add(new H2(getTranslation("dashboard.appliances")), cards);

        List<Charts.Bar> days = s.days().stream()
                .map(d -> new Charts.Bar(d.day().toString().substring(5).replace('-', '/'), d.threats(), null)).toList();
        body.add(new H2(getTranslation("dashboard.perDay")),
                Charts.bars("threats-per-day", getTranslation("dashboard.perDay"), days, getTranslation("dashboard.threats"), null));
    }

    private String customerName() {
        return Portal.get().store().tenants().profile(user.scope(), customer).map(org.omamori.store.CustomerProfile::name).orElse("");
    }

    private void navigate(String location) {
        getUI().ifPresent(ui -> ui.navigate(location.contains("?") ? location.substring(0, location.indexOf('?')) : location,
                location.contains("?") ? QueryParameters.fromString(location.substring(location.indexOf('?') + 1))
                        : QueryParameters.empty()));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("dashboard.title");
    }
}
