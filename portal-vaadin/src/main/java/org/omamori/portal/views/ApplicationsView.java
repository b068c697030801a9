package org.omamori.portal.views;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.events.ApplianceId;
import org.omamori.portal.Portal;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.ApplicationUsage;
import org.omamori.store.CustomerId;
import org.omamori.store.TenantScope;

/**
 * The applications an appliance's PCs used (docs/portal.md "Applications"): per application its
 * category, connections and PCs over one Japanese day or the last 7 or 30 days, the most used first.
 * The appliance identifies each connection and sends one record per application, PC and minute with
 * a count (docs/spool-and-uplink.md); the cloud adds them up per day (docs/store.md "Application days").
 * Address: {@code applications?appliance=<id>&days=7|30} or {@code &day=2026-12-05}.
 */
@Route("applications")
public class ApplicationsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    /** Days back a day may be picked: retention keeps about this much. */
    static final int PICKABLE_DAYS = 90;

    private final Select<ApplianceId> appliance = new Select<>();
    private final RadioButtonGroup<String> period = new RadioButtonGroup<>();
    private final DatePicker day = new DatePicker();
    private final Paragraph summary = new Paragraph();
    private final Paragraph none = new Paragraph();
    private final Grid<ApplicationUsage> grid = new Grid<>();
    private CustomerId customer;
    private LocalDate today;
    private boolean entering;

    public ApplicationsView() {
        appliance.setId("appliance");
        appliance.setLabel(getTranslation("alerts.appliance"));
        period.setId("period");
        period.setItems("1", "7", "30");
        period.setItemLabelGenerator(p -> getTranslation("apps.period." + p));
        day.setId("day");
        day.setLabel(getTranslation("alerts.day"));
        summary.setId("applications-summary");
        none.setId("applications-none");
        none.setText(getTranslation("apps.none"));
        grid.setId("applications");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.addColumn(ApplicationUsage::name).setHeader(getTranslation("apps.name")).setAutoWidth(true).setFlexGrow(2);
        grid.addColumn(a -> getTranslation("apps.category." + a.category())).setHeader(getTranslation("apps.category"))
                .setAutoWidth(true);
        grid.addColumn(a -> Long.toString(a.connections())).setHeader(getTranslation("apps.connections")).setAutoWidth(true)
                .setKey("connections");
        grid.addColumn(a -> Integer.toString(a.clients())).setHeader(getTranslation("apps.clients")).setAutoWidth(true)
                .setKey("clients");
        appliance.addValueChangeListener(e -> load());
        period.addValueChangeListener(e -> {
            day.setVisible("1".equals(period.getValue()));
            load();
        });
        day.addValueChangeListener(e -> load());
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Viewed.Entered> entered = Viewed.enter(this, event);
        if (entered.isEmpty()) {
            return;
        }
        entering = true;
        customer = entered.get().customer();
        Instant now = Portal.get().clock().instant();
        today = LocalDate.ofInstant(now, Format.JST);
        Map<ApplianceId, String> names = new LinkedHashMap<>();
        for (ApplianceStatus a : Viewed.appliances(customer, now)) {
            names.put(a.appliance(), a.name().isEmpty() ? a.appliance().value() : a.name());
        }
        appliance.setItems(names.keySet());
        appliance.setItemLabelGenerator(a -> names.getOrDefault(a, a.value()));
        day.setMax(today);
        day.setMin(today.minusDays(PICKABLE_DAYS));
        var params = event.getLocation().getQueryParameters().getParameters();
        // Only one of the viewed customer's own appliances can be chosen: another's id is ignored.
        appliance.setValue(one(params, "appliance")
                .flatMap(a -> names.keySet().stream().filter(x -> x.value().equals(a)).findFirst())
                .orElse(names.isEmpty() ? null : names.keySet().iterator().next()));
        Optional<LocalDate> picked = one(params, "day").flatMap(ApplicationsView::date)
                .filter(d -> !d.isAfter(today) && !d.isBefore(today.minusDays(PICKABLE_DAYS)));
        day.setValue(picked.orElse(today));
        period.setValue(picked.isPresent() ? "1" : one(params, "days").filter(d -> d.equals("30")).orElse("7"));
        day.setVisible("1".equals(period.getValue()));
        FlexLayout filters = new FlexLayout(appliance, period, day);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("filters");
        add(new H1(getTranslation("apps.title")), filters, summary, grid, none);
        entering = false;
        load();
    }

    private void load() {
        if (entering || customer == null) {
            return; // beforeEnter sets the filters from the address, then loads once
        }
        ApplianceId a = appliance.getValue();
        int days = "1".equals(period.getValue()) ? 1 : Integer.parseInt(period.getValue());
        LocalDate last = days == 1 && day.getValue() != null ? day.getValue() : today;
        LocalDate first = last.minusDays(days - 1L);
        // The viewed customer's own scope, as the DNS page: never another customer's rows.
        List<ApplicationUsage> apps = a == null ? List.of()
                : Portal.get().store().applications().period(TenantScope.customer(customer), a, first, last);
        grid.setItems(apps);
        long connections = apps.stream().mapToLong(ApplicationUsage::connections).sum();
        summary.setText(getTranslation("apps.summary", first.toString(), last.toString(), apps.size(), connections));
        none.setVisible(apps.isEmpty());
    }

    private static Optional<String> one(Map<String, List<String>> params, String name) {
        List<String> v = params.getOrDefault(name, List.of());
        return v.size() == 1 && v.get(0).length() <= 64 ? Optional.of(v.get(0)) : Optional.empty();
    }

    private static Optional<LocalDate> date(String s) {
        try {
            return Optional.of(LocalDate.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("apps.title");
    }
}
