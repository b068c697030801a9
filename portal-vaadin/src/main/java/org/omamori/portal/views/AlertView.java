package org.omamori.portal.views;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;

import org.omamori.grading.AlertId;
import org.omamori.grading.Grade;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.AlertRow;
import org.omamori.store.Statistics;
import org.omamori.store.StoredEvent;

/**
 * One alert: what it is, the events behind it, and what the customer should do. Reached by its
 * display id from the list, or by its id from the alert mail (docs/notify.md). Another tenant's
 * alert is "not found".
 */
@Route("alerts")
public class AlertView extends VerticalLayout implements HasUrlParameter<String>, HasDynamicTitle {

    private String title = "";

    @Override
    public void setParameter(BeforeEvent event, String id) {
        removeAll();
        SessionUser user = PortalSession.user().orElse(null);
        if (user == null) {
            return;
        }
        Optional<AlertRow> alert = find(user, event, id);
        if (alert.isEmpty()) {
            add(new NotFound());
            return;
        }
        AlertRow a = alert.get();
        title = getTranslation("alert.title", a.displayId());
        add(new H1(title));
        add(new Facts("alert-facts")
                .add(getTranslation("alerts.time"), Format.seconds(a.first()))
                .add(getTranslation("alerts.appliance"), (a.applianceName().isEmpty() ? "" : a.applianceName() + " ")
                        + "(" + a.appliance().value() + ")")
                .add(getTranslation("alerts.function"), Labels.function(this, a.function()))
                .add(getTranslation("alerts.result"), a.result().map(r -> Labels.result(this, r)).orElse("—"))
                .add(getTranslation("alerts.grade"), Labels.grade(this, a.grade()))
                .add(getTranslation("alert.host"), a.host())
                .add(getTranslation("alert.target"), a.target())
                .add(getTranslation("alert.count"), Long.toString(a.count()))
                .add(getTranslation("alert.last"), Format.seconds(a.last())));
        Div todo = new Div(new H2(getTranslation("alert.todo")), new Paragraph(advice(a.grade())));
        todo.setId("alert-advice");
        todo.addClassName("card");
        add(todo);
        List<StoredEvent> events = Portal.get().store().statistics().alertEvents(user.scope(), a.id(), Statistics.MAX_ALERT_EVENTS);
        Grid<StoredEvent> grid = new Grid<>();
        grid.setId("alert-events");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(e -> Format.seconds(e.event().time())).setHeader(getTranslation("alerts.time")).setAutoWidth(true);
        grid.addColumn(e -> e.event().source().getHostAddress()).setHeader(getTranslation("alert.source"));
        grid.addColumn(e -> firstOf(e.event().url(), e.event().host(), e.event().dnsName(),
                e.event().destination() == null ? "" : e.event().destination().getHostAddress())).setHeader(getTranslation("alert.target"));
        grid.addColumn(e -> firstOf(e.event().ruleName(), e.event().ruleId())).setHeader(getTranslation("alert.rule"));
        grid.addColumn(e -> Labels.result(this, e.event().result())).setHeader(getTranslation("alerts.result"));
        // An event may stand for several occurrences: a blocked name's repeats in a minute (decision 0028).
        grid.addColumn(e -> Long.toString(e.event().count())).setHeader(getTranslation("alert.occurrences")).setAutoWidth(true);
        grid.setItems(events);
        add(new H2(getTranslation("alert.events", events.size())), grid);
    }

    private Optional<AlertRow> find(SessionUser user, BeforeEvent event, String id) {
        Statistics stats = Portal.get().store().statistics();
        if (Statistics.DISPLAY_ID.matcher(id).matches()) {
            return Viewed.customer(user, event).flatMap(customer -> stats.alertByDisplayId(user.scope(), customer, id));
        }
        try {
            UUID uuid = UUID.fromString(id); // the id in an alert mail's link
            return stats.alert(user.scope(), new AlertId(uuid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String advice(Grade g) {
        return getTranslation("advice." + g.name());
    }

    private static String firstOf(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isEmpty()) {
                return c;
            }
        }
        return "—";
    }

    @Override
    public String getPageTitle() {
        return title;
    }
}
