package org.omamori.portal.views;

import java.io.ByteArrayInputStream;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;

import org.omamori.accounts.AccountRole;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.report.ServiceAvailability;
import org.omamori.store.Customer;
import org.omamori.store.CustomerId;
import org.omamori.store.Reports;
import org.omamori.store.ServiceAvailabilities;
import org.omamori.store.TenantScope;

/**
 * Monthly reports (docs/reports.md). A customer downloads its reports and chooses whether it is told
 * by mail when a new one is ready; reseller staff and operators pick a customer and download its
 * reports; operators also see the service's own availability against the 99 % target. Every PDF is
 * read with the user's scope when it is downloaded.
 */
@Route("reports")
public class ReportsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final VerticalLayout list = new VerticalLayout();
    private SessionUser user;

    public ReportsView() {
        list.setId("report-list");
        list.setPadding(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        removeAll();
        if (user == null) {
            add(new NotFound());
            return;
        }
        add(new H1(getTranslation("reports.title")));
        if (user.role() == AccountRole.OPERATOR) {
            availability();
        }
        if (user.staff()) {
            List<Customer> customers = Portal.get().store().tenants().customers(user.scope());
            ComboBox<Customer> customer = new ComboBox<>(getTranslation("contracts.customer"), customers);
            customer.setItemLabelGenerator(Customer::name);
            customer.setId("reports-customer");
            customer.addValueChangeListener(e -> show(Optional.ofNullable(e.getValue()).map(Customer::id)));
            add(customer, list);
        } else {
            CustomerId me = ((TenantScope.Customer) user.scope()).id();
            Reports reports = Portal.get().store().reports();
            Checkbox mail = new Checkbox(getTranslation("reports.mail"), reports.wantsMail(user.scope(), me));
            mail.setId("reports-mail");
            mail.addValueChangeListener(e -> reports.setMail(me, e.getValue()));
            add(new Div(getTranslation("reports.help")), mail, list);
            show(Optional.of(me));
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("reports.title");
    }

    private void show(Optional<CustomerId> customer) {
        list.removeAll();
        if (customer.isEmpty()) {
            return;
        }
        List<Reports.Stored> stored = Portal.get().store().reports().list(user.scope(), customer.get());
        if (stored.isEmpty()) {
            list.add(new Div(getTranslation("reports.none")));
            return;
        }
        Grid<Reports.Stored> grid = new Grid<>();
        grid.setId("reports");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(s -> s.month().getYear() + "年" + s.month().getMonthValue() + "月").setHeader(getTranslation("reports.month"));
        grid.addColumn(s -> Format.time(s.createdAt())).setHeader(getTranslation("reports.made"));
        grid.addComponentColumn(s -> download(s.customer(), s.month())).setHeader("PDF");
        grid.setItems(stored);
        list.add(grid);
    }

    private Anchor download(CustomerId customer, YearMonth month) {
        TenantScope scope = user.scope();
        String name = "report-" + month + ".pdf";
        Anchor a = new Anchor(DownloadHandler.fromInputStream(event -> {
            byte[] pdf = Portal.get().store().reports().get(scope, customer, month).orElse(new byte[0]);
            return new DownloadResponse(new ByteArrayInputStream(pdf), name, "application/pdf", pdf.length);
        }), AttachmentType.DOWNLOAD, getTranslation("reports.download"));
        a.setId("report-" + month);
        return a;
    }

    /** The service's availability of the last full months against 99 %. */
    private void availability() {
        add(new H2(getTranslation("reports.availability")));
        YearMonth now = YearMonth.now(Format.JST);
        Grid<ServiceAvailability> grid = new Grid<>();
        grid.setId("service-availability");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(a -> a.month().toString()).setHeader(getTranslation("reports.month"));
        grid.addColumn(a -> String.format(Locale.ROOT, "%.3f %%", a.percent())).setHeader(getTranslation("reports.percent"));
        grid.addColumn(a -> a.met() ? getTranslation("reports.met") : getTranslation("reports.missed")).setHeader("99 %");
        grid.addColumn(a -> a.down().toMinutes() + " / " + a.planned().toMinutes()).setHeader(getTranslation("reports.downPlanned"));
        var store = Portal.get().store();
        var instant = Portal.get().clock().instant();
        grid.setItems(List.of(ServiceAvailabilities.of(store, now, instant), ServiceAvailabilities.of(store, now.minusMonths(1), instant),
                ServiceAvailabilities.of(store, now.minusMonths(2), instant)));
        add(grid);
    }
}
