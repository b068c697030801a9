package org.omamori.portal.views;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.data.renderer.LitRenderer;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.grading.Grade;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.AlertCursor;
import org.omamori.store.AlertPage;
import org.omamori.store.AlertQuery;
import org.omamori.store.AlertRow;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;

/**
 * The alert list (seed's アラート一覧, docs/portal.md): ID, time (JST), appliance, function,
 * result, level; filtered by month or day, function, appliance and level; 50 a page, paged by a
 * keyset cursor so the 90th day costs what the first does.
 */
@Route("alerts")
public class AlertListView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final int PAGE = 50;
    static final List<SecurityFunction> FUNCTIONS = List.of(SecurityFunction.IPS, SecurityFunction.ANTIVIRUS,
            SecurityFunction.URL_FILTERING, SecurityFunction.APPLICATION_IDENTIFICATION);

    private SessionUser user;
    private CustomerId customer;
    private final RadioButtonGroup<String> unit = new RadioButtonGroup<>();
    private final Select<YearMonth> month = new Select<>();
    private final DatePicker day = new DatePicker();
    private final Select<Optional<SecurityFunction>> function = new Select<>();
    private final Select<Optional<ApplianceId>> appliance = new Select<>();
    private final Select<Optional<Grade>> grade = new Select<>();
    private final Grid<AlertRow> grid = new Grid<>();
    private final Span pageInfo = new Span();
    private final Button previous = new Button();
    private final Button next = new Button();
    private final Deque<Optional<AlertCursor>> pages = new ArrayDeque<>();
    private Optional<AlertCursor> nextCursor = Optional.empty();
    private boolean entering;

    public AlertListView() {
        unit.setId("period-unit");
        unit.setItems("month", "day");
        unit.setItemLabelGenerator(u -> getTranslation("alerts.unit." + u));
        month.setId("month");
        month.setLabel(getTranslation("alerts.month"));
        day.setId("day");
        day.setLabel(getTranslation("alerts.day"));
        function.setId("function");
        function.setLabel(getTranslation("alerts.function"));
        appliance.setId("appliance");
        appliance.setLabel(getTranslation("alerts.appliance"));
        grade.setId("grade");
        grade.setLabel(getTranslation("alerts.grade"));
        grid.setId("alerts");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        // A Lit template, not a component per row: 50 RouterLinks cost a server-side component and a
        // client element each (bench: PortalRenderBench). Lit escapes both bindings.
        grid.addColumn(LitRenderer.<AlertRow>of("<a href=\"${item.href}\">${item.id}</a>")
                .withProperty("id", AlertRow::displayId)
                .withProperty("href", a -> "alerts/" + a.displayId() + Viewed.suffix(user, customer)))
                .setHeader(getTranslation("alerts.id")).setAutoWidth(true);
        grid.addColumn(a -> Format.seconds(a.first())).setHeader(getTranslation("alerts.time")).setAutoWidth(true);
        grid.addColumn(a -> a.applianceName().isEmpty() ? a.appliance().value() : a.applianceName())
                .setHeader(getTranslation("alerts.appliance"));
        grid.addColumn(a -> Labels.function(this, a.function())).setHeader(getTranslation("alerts.function"));
        grid.addColumn(a -> a.result().map(r -> Labels.result(this, r)).orElse("—")).setHeader(getTranslation("alerts.result"));
        grid.addColumn(a -> Labels.grade(this, a.grade())).setHeader(getTranslation("alerts.grade")).setAutoWidth(true);
        previous.setText(getTranslation("alerts.previous"));
        previous.setId("previous-page");
        previous.addClickListener(e -> {
            pages.pop();
            load(pages.peek());
        });
        next.setText(getTranslation("alerts.next"));
        next.setId("next-page");
        next.addClickListener(e -> {
            pages.push(nextCursor);
            load(nextCursor);
        });
        pageInfo.setId("page-info");
        unit.addValueChangeListener(e -> {
            updateUnit();
            reload();
        });
        month.addValueChangeListener(e -> reload());
        day.addValueChangeListener(e -> reload());
        function.addValueChangeListener(e -> reload());
        appliance.addValueChangeListener(e -> reload());
        grade.addValueChangeListener(e -> reload());
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        if (user == null) {
            return;
        }
        removeAll();
        entering = true;
        Optional<CustomerId> c = Viewed.customer(user, event);
        if (c.isEmpty()) {
            add(new NotFound());
            return;
        }
        customer = c.get();
        Instant now = Portal.get().clock().instant();
        LocalDate today = LocalDate.ofInstant(now, Format.JST);
        YearMonth thisMonth = YearMonth.from(today);
        month.setItems(thisMonth, thisMonth.minusMonths(1), thisMonth.minusMonths(2), thisMonth.minusMonths(3));
        month.setItemLabelGenerator(m -> getTranslation("alerts.monthLabel", m.getYear(), m.getMonthValue()));
        month.setValue(thisMonth);
        day.setMax(today);
        day.setMin(today.minusDays(90));
        day.setValue(today);
        unit.setValue("month");
        function.setItems(java.util.stream.Stream.concat(java.util.stream.Stream.of(Optional.<SecurityFunction>empty()),
                FUNCTIONS.stream().map(Optional::of)).toList());
        function.setItemLabelGenerator(f -> f.map(x -> Labels.function(this, x)).orElse(getTranslation("alerts.all")));
        List<ApplianceStatus> mine = Viewed.appliances(customer, now);
        Map<ApplianceId, String> names = new java.util.LinkedHashMap<>();
        mine.forEach(a -> names.put(a.appliance(), a.name().isEmpty() ? a.appliance().value() : a.name()));
        appliance.setItems(java.util.stream.Stream.concat(java.util.stream.Stream.of(Optional.<ApplianceId>empty()),
                names.keySet().stream().map(Optional::of)).toList());
        appliance.setItemLabelGenerator(a -> a.map(names::get).orElse(getTranslation("alerts.all")));
        grade.setItems(Optional.empty(), Optional.of(Grade.HIGH), Optional.of(Grade.MEDIUM), Optional.of(Grade.LOW),
                Optional.of(Grade.UNDER_INVESTIGATION));
        grade.setItemLabelGenerator(g -> g.map(x -> Labels.grade(this, x)).orElse(getTranslation("alerts.all")));
        var params = event.getLocation().getQueryParameters().getParameters();
        grade.setValue(Optional.empty());
        function.setValue(Optional.empty());
        appliance.setValue(Optional.empty());
        one(params, "grade").flatMap(AlertListView::gradeOf).ifPresent(g -> grade.setValue(Optional.of(g)));
        one(params, "function").filter(f -> FUNCTIONS.stream().anyMatch(x -> x.id().equals(f)))
                .ifPresent(f -> function.setValue(Optional.of(new SecurityFunction(f))));
        one(params, "appliance").flatMap(a -> names.keySet().stream().filter(x -> x.value().equals(a)).findFirst())
                .ifPresent(a -> appliance.setValue(Optional.of(a)));
        updateUnit();
        entering = false;
        FlexLayout filters = new FlexLayout(unit, month, day, function, appliance, grade);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.addClassName("filters");
        add(new H1(getTranslation("alerts.title")), filters, grid, new HorizontalLayout(previous, pageInfo, next));
        reload();
    }

    private void updateUnit() {
        month.setVisible("month".equals(unit.getValue()));
        day.setVisible("day".equals(unit.getValue()));
    }

    private void reload() {
        if (entering) {
            return; // beforeEnter sets the filters from the address, then loads once
        }
        pages.clear();
        pages.push(Optional.empty());
        load(Optional.empty());
    }

    private void load(Optional<AlertCursor> after) {
        Instant from;
        Instant to;
        if ("day".equals(unit.getValue()) && day.getValue() != null) {
            from = day.getValue().atStartOfDay(Format.JST).toInstant();
            to = day.getValue().plusDays(1).atStartOfDay(Format.JST).toInstant();
        } else {
            YearMonth m = month.getValue() == null ? YearMonth.now(Format.JST) : month.getValue();
            from = m.atDay(1).atStartOfDay(Format.JST).toInstant();
            to = m.plusMonths(1).atDay(1).atStartOfDay(Format.JST).toInstant();
        }
        AlertQuery q = AlertQuery.period(from, to).customer(customer).limit(PAGE);
        if (function.getValue() != null && function.getValue().isPresent()) {
            q = q.function(function.getValue().get());
        }
        if (appliance.getValue() != null && appliance.getValue().isPresent()) {
            q = q.appliance(appliance.getValue().get());
        }
        if (grade.getValue() != null && grade.getValue().isPresent()) {
            q = q.grade(grade.getValue().get());
        }
        if (after.isPresent()) {
            q = q.after(after.get());
        }
        AlertPage page = Portal.get().store().statistics().alerts(user.scope(), q);
        grid.setItems(page.alerts());
        nextCursor = page.next();
        next.setEnabled(page.next().isPresent());
        previous.setEnabled(pages.size() > 1);
        pageInfo.setText(page.alerts().isEmpty() ? getTranslation("alerts.none")
                : getTranslation("alerts.page", pages.size()));
    }

    private static Optional<String> one(Map<String, List<String>> params, String name) {
        List<String> v = params.getOrDefault(name, List.of());
        return v.size() == 1 && v.get(0).length() <= 64 ? Optional.of(v.get(0)) : Optional.empty();
    }

    private static Optional<Grade> gradeOf(String s) {
        try {
            return Optional.of(Grade.valueOf(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("alerts.title");
    }
}
