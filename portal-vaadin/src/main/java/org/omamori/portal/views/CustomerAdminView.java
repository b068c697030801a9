package org.omamori.portal.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
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

import org.omamori.accounts.Account;
import org.omamori.notify.Recipients;
import org.omamori.portal.AccountDesk;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.CustomerId;
import org.omamori.store.CustomerProfile;

/**
 * Reseller staff (and operators) for one of their customers (docs/portal.md "Customer
 * administration"): the 1–3 alert mail addresses, the customer's accounts with unlock and
 * second-step reset, and a new account whose temporary credentials are mailed to the applicant.
 */
@Route("customers/manage")
public class CustomerAdminView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private SessionUser user;
    private CustomerId customer;
    private String title = "";
    private final List<TextField> recipients = new ArrayList<>();
    private final Div message = new Div();
    private final Grid<Account> grid = new Grid<>();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        user = PortalSession.user().orElse(null);
        Optional<CustomerId> c = user == null || !user.staff() ? Optional.empty() : Viewed.customer(user, event);
        if (c.isEmpty()) {
            add(new NotFound());
            return;
        }
        customer = c.get();
        AccountDesk desk = Portal.get().desk();
        String name = Portal.get().store().tenants().profile(user.scope(), customer).map(CustomerProfile::name).orElse("");
        title = getTranslation("manage.title", name);
        message.setId("manage-message");

        recipients.clear();
        List<String> current = desk.recipients(user, customer).map(Recipients::addresses).orElse(List.of());
        HorizontalLayout mailRow = new HorizontalLayout();
        mailRow.setWrap(true);
        for (int i = 0; i < Recipients.MAX; i++) {
            TextField f = new TextField();
            f.setId("recipient-" + (i + 1));
            f.setMaxLength(254);
            f.setValue(i < current.size() ? current.get(i) : "");
            recipients.add(f);
            mailRow.add(f);
        }
        Button save = new Button(getTranslation("manage.saveRecipients"), e -> run(() -> {
            desk.recipients(user, customer, recipients.stream().map(TextField::getValue).toList());
            return getTranslation("manage.saved");
        }));
        save.setId("save-recipients");

        grid.removeAllColumns();
        grid.setId("customer-accounts");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(Account::loginId).setHeader(getTranslation("signin.loginId"));
        grid.addColumn(Account::displayName).setHeader(getTranslation("manage.issueName"));
        grid.addColumn(a -> getTranslation("method." + a.twoStep().name())
                + (a.mustChangePassword() ? "（" + getTranslation("manage.temporary") + "）" : "")).setHeader(getTranslation("manage.twoStep"));
        grid.addColumn(a -> a.lockedUntil() != null && a.lockedUntil().isAfter(Portal.get().clock().instant())
                ? Format.time(a.lockedUntil()) : "").setHeader(getTranslation("manage.locked"));
        grid.addComponentColumn(a -> {
            Button unlock = new Button(getTranslation("manage.unlock"), e -> run(() -> {
                desk.unlock(user, a.id());
                return getTranslation("manage.saved");
            }));
            unlock.addThemeVariants(ButtonVariant.LUMO_SMALL);
            Button reset = new Button(getTranslation("manage.reset"), e -> run(() -> {
                desk.resetTwoStep(user, a.id());
                return getTranslation("manage.saved");
            }));
            reset.addThemeVariants(ButtonVariant.LUMO_SMALL);
            reset.setId("reset-" + a.loginId());
            return new HorizontalLayout(unlock, reset);
        });
        refresh();

        TextField newName = new TextField(getTranslation("manage.issueName"));
        newName.setId("issue-name");
        newName.setMaxLength(100);
        TextField newMail = new TextField(getTranslation("manage.issueMail"));
        newMail.setId("issue-mail");
        newMail.setMaxLength(254);
        newMail.setWidth("22rem");
        Button issue = new Button(getTranslation("manage.issueButton"), e -> run(() -> {
            String id = desk.issue(user, customer, newName.getValue(), newMail.getValue());
            newName.clear();
            newMail.clear();
            return getTranslation("manage.issued", id);
        }));
        issue.setId("issue-account");
        issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout issueRow = new HorizontalLayout(newName, newMail, issue);
        issueRow.setWrap(true);
        issueRow.setDefaultVerticalComponentAlignment(Alignment.BASELINE);

        add(new H1(title), message, profileForm(), new H2(getTranslation("manage.recipients")), mailRow, save,
                new H2(getTranslation("manage.accounts")), grid, new H2(getTranslation("manage.issue")), issueRow);
    }

    /** The company data (000 §7.6), changed here as the desk would. */
    private VerticalLayout profileForm() {
        CustomerProfile p = Portal.get().store().tenants().profile(user.scope(), customer).orElseThrow();
        String[] keys = {"name", "contactName", "department", "jobTitle", "mail", "address", "phone"};
        String[] values = {p.name(), p.contactName(), p.department(), p.title(), p.mail(), p.address(), p.phone()};
        List<TextField> fields = new ArrayList<>();
        HorizontalLayout row = new HorizontalLayout();
        row.setWrap(true);
        for (int i = 0; i < keys.length; i++) {
            TextField f = new TextField(getTranslation("profile." + keys[i]));
            f.setId("profile-" + keys[i]);
            f.setMaxLength(300);
            f.setValue(values[i]);
            fields.add(f);
            row.add(f);
        }
        Button save = new Button(getTranslation("profile.save"), e -> run(() -> {
            Portal.get().store().tenants().updateProfile(user.scope(), customer, new CustomerProfile(fields.get(0).getValue(),
                    fields.get(1).getValue(), fields.get(2).getValue(), fields.get(3).getValue(), fields.get(4).getValue(),
                    fields.get(5).getValue(), fields.get(6).getValue()));
            return getTranslation("manage.saved");
        }));
        save.setId("save-profile");
        VerticalLayout form = new VerticalLayout(new H2(getTranslation("profile.title")), row, save);
        form.setPadding(false);
        return form;
    }

    /** Runs a change; says what happened, or why not (a bad address, a name too long…). */
    private void run(java.util.function.Supplier<String> change) {
        try {
            message.setText(change.get());
            message.removeClassName("error");
            refresh();
        } catch (IllegalArgumentException e) {
            message.setText(e.getMessage());
            message.addClassName("error");
        }
    }

    private void refresh() {
        grid.setItems(Portal.get().desk().accounts(user, customer));
    }

    @Override
    public String getPageTitle() {
        return title;
    }
}
