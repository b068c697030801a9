package org.omamori.portal.views;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.portal.Portal;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.EventLog;
import org.omamori.store.EventQuery;
import org.omamori.store.StoredEvent;
import org.omamori.store.TenantScope;

/**
 * The DNS filter's access log (docs/portal.md "DNS lookups"): the names the customer's PCs looked
 * up over the last 7 days, newest first. The appliance sends one record per name, category, PC and
 * minute with a count (docs/dns-filter.md "Events"), so each row says how many lookups it stands
 * for (件数) and when the first and the last was. Blocked names are alerts and stay on the alert pages.
 */
@Route("dns")
public class DnsLogView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final int DAYS = 7;
    /** Rows shown: the newest; the total says how many there are. */
    static final int ROWS = 200;

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Viewed.Entered> entered = Viewed.enter(this, event);
        if (entered.isEmpty()) {
            return;
        }
        CustomerId customer = entered.get().customer();
        Instant now = Portal.get().clock().instant();
        Instant[] period = Format.lastDays(now, DAYS);
        // The viewed customer's own scope: a reseller's or an operator's would read every customer's rows.
        TenantScope scope = TenantScope.customer(customer);
        EventLog log = Portal.get().store().events();
        EventQuery query = EventQuery.period(period[0], period[1]).kind(Kind.ACCESS)
                .function(SecurityFunction.URL_FILTERING).limit(ROWS);
        List<StoredEvent> rows = log.events(scope, query).events().stream()
                .filter(e -> !e.event().dnsName().isEmpty()).toList();
        Map<String, String> names = new HashMap<>();
        for (ApplianceStatus a : Viewed.appliances(customer, now)) {
            names.put(a.appliance().value(), a.name().isEmpty() ? a.appliance().value() : a.name());
        }
        add(new H1(getTranslation("dns.title")));
        Paragraph summary = new Paragraph(getTranslation("dns.summary", DAYS, log.count(scope, query), log.occurrences(scope, query)));
        summary.setId("dns-summary");
        add(summary);
        Grid<StoredEvent> grid = new Grid<>();
        grid.setId("dns-log");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.addColumn(e -> Format.seconds(e.event().time())).setHeader(getTranslation("dns.first")).setAutoWidth(true);
        grid.addColumn(e -> e.event().count() > 1 ? Format.seconds(e.event().last()) : "—")
                .setHeader(getTranslation("dns.last")).setAutoWidth(true);
        grid.addColumn(e -> e.event().source().getHostAddress()).setHeader(getTranslation("dns.client")).setAutoWidth(true);
        grid.addColumn(e -> e.event().dnsName()).setHeader(getTranslation("dns.name")).setAutoWidth(true).setFlexGrow(2);
        grid.addColumn(e -> category(e.event())).setHeader(getTranslation("dns.category")).setAutoWidth(true);
        grid.addColumn(e -> Long.toString(e.event().count())).setHeader(getTranslation("dns.count")).setAutoWidth(true)
                .setKey("count");
        grid.addColumn(e -> names.getOrDefault(e.event().appliance().value(), e.event().appliance().value()))
                .setHeader(getTranslation("alerts.appliance")).setAutoWidth(true);
        grid.setItems(rows);
        add(grid);
        if (rows.isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("dns.none"));
            none.setId("dns-none");
            add(none);
        }
    }

    /** The category's name in the page's language ("ニュース / News" from the URL filter), or a dash. */
    private String category(Event e) {
        String name = e.ruleName();
        if (name.isEmpty()) {
            return getTranslation("dns.uncategorised");
        }
        int slash = name.indexOf(" / ");
        if (slash < 0) {
            return name;
        }
        return "ja".equals(getLocale().getLanguage()) ? name.substring(0, slash) : name.substring(slash + 3);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("dns.title");
    }
}
