package org.omamori.portal.views;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.AlertRow;
import org.omamori.store.CustomerId;
import org.omamori.store.CustomerOverview;
import org.omamori.store.Statistics;

/**
 * The reseller's morning page (and the operator's): every customer in scope with open ★★★/★★☆
 * alerts, stopped appliances and last contact, sortable and filterable; a search across those
 * customers' alerts by host name, IP address, rule or alert ID. A click opens the customer's own
 * pages, read-only (docs/portal.md "Reseller console").
 */
@Route("customers")
public class CustomersView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Grid<CustomerOverview> grid = new Grid<>();
    private final TextField filter = new TextField();
    private final TextField search = new TextField();
    private final Grid<AlertRow> results = new Grid<>();
    private final H2 resultsTitle = new H2();
    private List<CustomerOverview> rows = List.of();
    private SessionUser user;
    private Instant now = Instant.now();
    /** Definitions unchanged for longer than this are shown as a problem (updates come daily). */
    static final long STALE_DEFINITIONS_DAYS = 7;

    public CustomersView() {
        grid.setId("customers");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.setMultiSort(true);
        grid.addComponentColumn(c -> {
            RouterLink link = new RouterLink(c.name(), DashboardView.class);
            link.setQueryParameters(QueryParameters.simple(Map.of("c", Long.toString(c.customer().value()))));
            return link;
        }).setHeader(getTranslation("customers.name")).setComparator(CustomerOverview::name).setSortable(true).setFlexGrow(2);
        grid.addColumn(CustomerOverview::openHigh).setHeader(getTranslation("customers.high")).setSortable(true)
                .setPartNameGenerator(c -> c.openHigh() > 0 ? "problem" : "");
        grid.addColumn(CustomerOverview::openMedium).setHeader(getTranslation("customers.medium")).setSortable(true);
        grid.addColumn(CustomerOverview::appliances).setHeader(getTranslation("customers.appliances")).setSortable(true);
        grid.addColumn(CustomerOverview::stopped).setHeader(getTranslation("customers.stopped")).setSortable(true)
                .setPartNameGenerator(c -> c.stopped() > 0 ? "problem" : "");
        grid.addColumn(c -> Format.time(c.lastContact().orElse(null))).setHeader(getTranslation("customers.lastContact"))
                .setComparator(c -> c.lastContact().orElse(Instant.EPOCH)).setSortable(true);
        // Days since the stalest appliance's definition versions last changed; flagged past a week.
        grid.addColumn(c -> c.definitionsSince().map(t -> getTranslation("customers.days", Format.daysSince(t, now))).orElse("—"))
                .setHeader(getTranslation("customers.definitions"))
                .setComparator(c -> c.definitionsSince().orElse(Instant.MAX)).setSortable(true)
                .setPartNameGenerator(c -> c.definitionsSince().filter(t -> Format.daysSince(t, now) > STALE_DEFINITIONS_DAYS)
                        .isPresent() ? "problem" : "");
        filter.setId("customer-filter");
        filter.setPlaceholder(getTranslation("customers.filter"));
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(e -> applyFilter());
        search.setId("search");
        search.setLabel(getTranslation("customers.search"));
        search.setMaxLength(Statistics.MAX_SEARCH_TEXT);
        search.setWidth("24rem");
        Button go = new Button(getTranslation("customers.searchButton"), e -> search());
        go.setId("search-button");
        go.addClickShortcut(Key.ENTER);
        results.setId("search-results");
        results.addThemeVariants(GridVariant.LUMO_COMPACT);
        results.setAllRowsVisible(true);
        results.setVisible(false);
        resultsTitle.setVisible(false);
        results.addColumn(a -> customerName(a.customer())).setHeader(getTranslation("customers.customer"));
        results.addComponentColumn(a -> {
            RouterLink link = new RouterLink(a.displayId(), AlertView.class, a.displayId());
            link.setQueryParameters(QueryParameters.simple(Map.of("c", Long.toString(a.customer().value()))));
            return link;
        }).setHeader(getTranslation("alerts.id")).setAutoWidth(true);
        results.addColumn(a -> Format.seconds(a.first())).setHeader(getTranslation("alerts.time")).setAutoWidth(true);
        results.addColumn(AlertRow::host).setHeader(getTranslation("alert.host"));
        results.addColumn(AlertRow::target).setHeader(getTranslation("alert.target"));
        results.addColumn(AlertRow::rule).setHeader(getTranslation("alert.rule"));
        results.addColumn(a -> Labels.grade(this, a.grade())).setHeader(getTranslation("alerts.grade"));
        FlexLayout searchBar = new FlexLayout(search, go);
        searchBar.addClassName("filters");
        add(new H1(getTranslation("customers.title")), searchBar, resultsTitle, results, filter, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        if (user == null || !user.staff()) {
            removeAll();
            add(new NotFound());
            return;
        }
        now = Portal.get().clock().instant();
        rows = Portal.get().store().statistics().customerOverview(user.scope(), now);
        applyFilter();
    }

    private void applyFilter() {
        String f = filter.getValue().strip().toLowerCase(Locale.ROOT);
        grid.setItems(f.isEmpty() ? rows : rows.stream().filter(r -> r.name().toLowerCase(Locale.ROOT).contains(f)).toList());
    }

    private void search() {
        String text = search.getValue().strip();
        List<AlertRow> found = text.isEmpty() ? List.of()
                : Portal.get().store().statistics().search(user.scope(), text, Statistics.MAX_SEARCH);
        results.setItems(found);
        results.setVisible(true);
        resultsTitle.setText(getTranslation("customers.results", found.size()));
        resultsTitle.setVisible(true);
    }

    private String customerName(CustomerId id) {
        Map<CustomerId, String> names = rows.stream().collect(Collectors.toMap(CustomerOverview::customer, CustomerOverview::name,
                (a, b) -> a));
        return names.getOrDefault(id, "");
    }

    @Override
    public String getPageTitle() {
        return getTranslation("customers.title");
    }
}
