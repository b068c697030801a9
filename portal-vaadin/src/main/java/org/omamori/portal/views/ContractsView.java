package org.omamori.portal.views;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.backoffice.contract.Contract;
import org.omamori.backoffice.contract.ContractState;
import org.omamori.backoffice.contract.Lifecycle;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.notify.ContractMail;
import org.omamori.notify.Mail;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.Addressee;
import org.omamori.store.Contracts;
import org.omamori.store.Customer;

/**
 * Contracts (docs/contracts.md). Reseller staff and operators list their contracts, register an
 * application and take each step the contract's state and its edition's terms allow (refusals show
 * the rule); a customer sees its own contract: state, dates, what comes next and every step.
 */
@Route("contracts")
public class ContractsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Div message = new Div();
    private final DatePicker day = new DatePicker();
    private final IntegerField amount = new IntegerField();
    private final TextField reason = new TextField();
    private SessionUser user;

    public ContractsView() {
        message.setId("contracts-message");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        removeAll();
        if (user == null) {
            add(new NotFound());
            return;
        }
        if (user.staff()) {
            staff();
        } else {
            own();
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation(user != null && user.staff() ? "contracts.staffTitle" : "contracts.title");
    }

    private Portal portal() {
        return Portal.get();
    }

    private LocalDate today() {
        return LocalDate.ofInstant(portal().clock().instant(), Format.JST);
    }

    /** A customer's own contract, read only. */
    private void own() {
        add(new H1(getTranslation("contracts.title")));
        List<Contracts.Stored> mine = portal().store().contracts().list(user.scope());
        if (mine.isEmpty()) {
            add(new Div(getTranslation("contracts.none")));
            return;
        }
        Contracts.Stored s = mine.getFirst();
        Contract c = s.contract();
        Lifecycle.Next next = lifecycle(c.edition()).next(c);
        Div facts = new Div();
        facts.setId("my-contract");
        facts.setText(getTranslation("contracts.number") + " " + s.id() + "　" + getTranslation("contracts.state") + ": " + c.state().ja()
                + "　" + getTranslation("contracts.applied") + " " + c.applied()
                + c.approved().map(d -> "　" + getTranslation("contracts.approved") + " " + d).orElse("")
                + c.started().or(c::plannedStart).map(d -> "　" + getTranslation("contracts.start") + " " + d).orElse("")
                + c.periodEnd().map(d -> "　" + getTranslation("contracts.periodEnd") + " " + d).orElse("")
                + c.endsOn().map(d -> "　" + getTranslation("contracts.endsOn") + " " + d).orElse("")
                + "　" + getTranslation("contracts.next") + ": " + next.whatJa() + next.by().map(d -> "（" + d + "）").orElse(""));
        Grid<Contract.Step> steps = new Grid<>();
        steps.setId("contract-history");
        steps.addThemeVariants(GridVariant.LUMO_COMPACT);
        steps.setAllRowsVisible(true);
        steps.addColumn(st -> st.on().toString()).setHeader(getTranslation("contracts.day")).setAutoWidth(true);
        steps.addColumn(st -> st.to().ja()).setHeader(getTranslation("contracts.state")).setAutoWidth(true);
        steps.addColumn(Contract.Step::what).setHeader(getTranslation("contracts.what")).setFlexGrow(3);
        steps.setItems(c.history().reversed());
        add(facts, new H2(getTranslation("contracts.history")), steps);
    }

    /** Staff: the contracts in scope with their steps, and a new application. */
    private void staff() {
        add(new H1(getTranslation("contracts.staffTitle")), message);
        Map<Long, String> names = new HashMap<>();
        List<Customer> customers = portal().store().tenants().customers(user.scope());
        customers.forEach(c -> names.put(c.id().value(), c.name()));

        day.setLabel(getTranslation("contracts.day"));
        day.setId("contract-day");
        if (day.getValue() == null) {
            day.setValue(today());
        }
        amount.setLabel(getTranslation("contracts.amount"));
        amount.setId("contract-amount");
        reason.setLabel(getTranslation("contracts.reason"));
        reason.setId("contract-reason");
        add(new HorizontalLayout(day, amount, reason));

        Grid<Contracts.Stored> grid = new Grid<>();
        grid.setId("contracts");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(Contracts.Stored::id).setHeader(getTranslation("contracts.number")).setAutoWidth(true);
        grid.addColumn(s -> s.customer().map(c -> names.getOrDefault(c.value(), String.valueOf(c.value())))
                .orElse(getTranslation("contracts.erased"))).setHeader(getTranslation("contracts.customer"));
        grid.addColumn(s -> s.contract().edition()).setHeader(getTranslation("contracts.edition")).setAutoWidth(true);
        grid.addColumn(s -> s.contract().state().ja()).setHeader(getTranslation("contracts.state")).setAutoWidth(true);
        grid.addColumn(s -> lifecycle(s.contract().edition()).next(s.contract()).whatJa()).setHeader(getTranslation("contracts.next"))
                .setFlexGrow(3);
        grid.addColumn(s -> lifecycle(s.contract().edition()).next(s.contract()).by().map(LocalDate::toString).orElse(""))
                .setHeader(getTranslation("contracts.by")).setAutoWidth(true);
        grid.addComponentColumn(this::actions).setAutoWidth(true);
        grid.setItems(portal().store().contracts().list(user.scope()));

        ComboBox<Customer> customer = new ComboBox<>(getTranslation("contracts.customer"), customers);
        customer.setItemLabelGenerator(Customer::name);
        customer.setId("new-contract-customer");
        Checkbox member = new Checkbox(getTranslation("contracts.member"));
        member.setId("new-contract-member");
        IntegerField appliances = new IntegerField(getTranslation("contracts.appliances"));
        appliances.setValue(1);
        appliances.setId("new-contract-appliances");
        IntegerField pcs = new IntegerField(getTranslation("contracts.pcs"));
        pcs.setValue(0);
        IntegerField monthlyFee = new IntegerField(getTranslation("contracts.monthlyFee"));
        monthlyFee.setId("new-contract-fee");
        Button create = new Button(getTranslation("contracts.create"), e -> act(() -> {
            Customer c = Optional.ofNullable(customer.getValue()).orElseThrow(() -> new IllegalArgumentException("choose a customer"));
            String edition = portal().store().tenants().resellers(user.scope()).stream().filter(r -> r.id().equals(c.reseller()))
                    .findFirst().flatMap(r -> r.edition()).orElse(NeutralEdition.ID);
            QuoteRequest r = QuoteRequest.appliedOn(day.getValue()).appliances(value(appliances, 1)).pcs(value(pcs, 0));
            r = member.getValue() ? r.member(true) : lifecycleNeedsMembership(edition) ? r.member(false) : r;
            if (monthlyFee.getValue() != null) {
                r = r.monthlyFee(monthlyFee.getValue());
            }
            long id = portal().store().contracts().create(c.id(), lifecycle(edition).apply(r));
            return getTranslation("contracts.number") + " " + id + ": " + ContractState.APPLIED.ja();
        }));
        create.setId("new-contract-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(grid, new H2(getTranslation("contracts.new")), new HorizontalLayout(customer, member, appliances, pcs, monthlyFee), create);
    }

    private HorizontalLayout actions(Contracts.Stored s) {
        HorizontalLayout row = new HorizontalLayout();
        Lifecycle l = lifecycle(s.contract().edition());
        switch (s.contract().state()) {
            case APPLIED -> row.add(button(s, "approve", (c, d) -> l.approve(c, d), true));
            case APPROVED -> row.add(button(s, "pay", (c, d) -> l.pay(c, d, amount()), false), button(s, "ship", l::ship, false),
                    button(s, "cancel", (c, d) -> l.cancel(c, d, Optional.empty()), false));
            case PAID -> row.add(button(s, "ship", l::ship, false));
            case SHIPPED -> row.add(button(s, "activate", l::activate, false));
            case ACTIVE, SUSPENDED -> row.add(button(s, "pay", (c, d) -> l.pay(c, d, amount()), false),
                    button(s, "cancel", (c, d) -> l.cancel(c, d, Optional.empty()), false),
                    button(s, "terminate", (c, d) -> l.terminate(c, d, reason()), false));
            case ENDING -> row.add(button(s, "end", l::end, false));
            default -> {
            }
        }
        return row;
    }

    private Button button(Contracts.Stored s, String action, java.util.function.BiFunction<Contract, LocalDate, Contract> step, boolean mail) {
        Button b = new Button(getTranslation("contracts." + action), e -> act(() -> {
            Contract next = step.apply(s.contract(), day.getValue() == null ? today() : day.getValue());
            Optional<Function<Addressee, Mail>> approval = Optional.empty();
            if (mail) {
                Lifecycle.Next n = lifecycle(next.edition()).next(next);
                approval = Optional.of(to -> ContractMail.approved(portal().brands().of(to.edition()), to.to(), s.id(),
                        next.approved().orElseThrow(), next.plannedStart(), n.whatJa(), n.by()));
            }
            Contracts.Stored saved = portal().store().contracts().save(s.id(), s.version(), next, approval);
            return getTranslation("contracts.number") + " " + s.id() + ": " + saved.contract().state().ja();
        }));
        b.setId("contract-" + s.id() + "-" + action);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return b;
    }

    private long amount() {
        Integer v = amount.getValue();
        if (v == null || v <= 0) {
            throw new IllegalArgumentException(getTranslation("contracts.amount") + "?");
        }
        return v;
    }

    private String reason() {
        String r = reason.getValue().strip();
        if (r.isEmpty()) {
            throw new IllegalArgumentException(getTranslation("contracts.reason") + "?");
        }
        return r;
    }

    private static int value(IntegerField f, int otherwise) {
        return f.getValue() == null ? otherwise : f.getValue();
    }

    private boolean lifecycleNeedsMembership(String edition) {
        return lookup(edition).terms().billing() instanceof org.omamori.api.edition.Terms.Billing.AnnualToMarch;
    }

    private Lifecycle lifecycle(String edition) {
        return new Lifecycle(lookup(edition));
    }

    private Edition lookup(String edition) {
        return portal().editions().of(Optional.of(edition));
    }

    /** Runs a step; the page shows the result, or the rule that refused it, and reloads the list. */
    private void act(java.util.function.Supplier<String> action) {
        String result;
        try {
            result = action.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            result = e.getMessage();
        }
        LocalDate kept = day.getValue();
        removeAll();
        staff();
        day.setValue(kept);
        message.setText(result);
    }
}
