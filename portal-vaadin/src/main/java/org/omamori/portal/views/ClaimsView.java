package org.omamori.portal.views;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
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

import org.omamori.backoffice.billing.Yen;
import org.omamori.backoffice.insurance.Claim;
import org.omamori.backoffice.insurance.ClaimFlow;
import org.omamori.desk.ClaimDesk;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.Claims;
import org.omamori.store.Contracts;

/**
 * Insurance claims (docs/insurance.md "Claims"): the flow ①–⑨ with who acts next. Reseller staff and
 * operators open a claim from a ★★★ alert mail (or a raised ★★☆ one with its scan result) and take the
 * desk's steps; the customer follows its claims, reports the full scan's result and the vendor it
 * scheduled; amounts above the insurance are shown as the customer's own.
 */
@Route("claims")
public class ClaimsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Div message = new Div();
    private final TextField text = new TextField();
    private final DatePicker day = new DatePicker();
    private final IntegerField amount = new IntegerField();
    private SessionUser user;

    public ClaimsView() {
        message.setId("claims-message");
        text.setId("claim-text");
        day.setId("claim-day");
        amount.setId("claim-amount");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        render();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("claims.title");
    }

    private ClaimDesk desk() {
        return new ClaimDesk(Portal.get().store(), id -> Portal.get().editions().of(Optional.of(id)), Portal.get().brands());
    }

    private ZonedDateTime now() {
        return Portal.get().clock().instant().atZone(Format.JST);
    }

    private void render() {
        removeAll();
        if (user == null) {
            add(new NotFound());
            return;
        }
        add(new H1(getTranslation("claims.title")), new Div(getTranslation("claims.help")), message);
        text.setLabel(getTranslation("claims.text"));
        text.setWidth("28em");
        day.setLabel(getTranslation("claims.day"));
        amount.setLabel(getTranslation("claims.amount"));
        add(new HorizontalLayout(text, day, amount));
        List<Claims.Stored> claims = Portal.get().store().claims().list(user.scope());
        if (claims.isEmpty()) {
            add(new Div(getTranslation("claims.none")));
        }
        for (Claims.Stored s : claims) {
            add(claim(s));
        }
        if (user.staff()) {
            newClaim();
        }
    }

    private VerticalLayout claim(Claims.Stored s) {
        Claim c = s.claim();
        VerticalLayout box = new VerticalLayout();
        box.setId("claim-" + s.id());
        box.addClassName("card");
        box.add(new H2(getTranslation("claims.number") + " " + s.id() + "　" + c.state().ja()));
        Div facts = new Div();
        facts.setText(getTranslation("claims.alertMail") + " " + Format.time(c.alertMail().toInstant())
                + (c.raised() ? "（★★☆→★★★相当）" : "（★★★）")
                + c.scanResult().map(r -> "　" + getTranslation("claims.scan") + ": " + r).orElse("")
                + c.vendor().map(v -> "　" + getTranslation("claims.vendor") + ": " + v).orElse("")
                + c.dispatch().map(d -> "　" + getTranslation("claims.dispatch") + ": " + d).orElse("")
                + (c.invoiced().isPresent() ? "　" + getTranslation("claims.invoiced") + " " + Yen.of(c.invoiced().get())
                        + "　" + getTranslation("claims.insurer") + " " + Yen.of(c.paid().orElse(0L))
                        + "　" + getTranslation("claims.own") + " " + Yen.of(ClaimFlow.customersOwn(c))
                        : c.state() == Claim.State.DISPATCHED ? "　" + getTranslation("claims.limit") + " " + Yen.of(c.paid().orElse(0L)) : ""));
        box.add(facts);
        Grid<Claim.Step> steps = new Grid<>();
        steps.addThemeVariants(GridVariant.LUMO_COMPACT);
        steps.setAllRowsVisible(true);
        steps.addColumn(st -> Format.time(st.at().toInstant())).setHeader(getTranslation("contracts.day")).setAutoWidth(true);
        steps.addColumn(st -> st.to().ja()).setHeader(getTranslation("claims.state")).setAutoWidth(true);
        steps.addColumn(Claim.Step::what).setHeader(getTranslation("contracts.what")).setFlexGrow(3);
        steps.setItems(c.steps().reversed());
        box.add(steps);
        HorizontalLayout actions = new HorizontalLayout();
        long id = s.id();
        boolean staff = user.staff();
        switch (c.state()) {
            case REQUESTED -> {
                if (staff) {
                    actions.add(button(id, "askScan", () -> step(id, (f, x, t) -> f.askScan(x.claim(), t))));
                }
            }
            case SCAN_ASKED -> actions.add(button(id, "scanned", () -> step(id, (f, x, t) -> f.scanned(x.claim(), required(), t))));
            case SCANNED -> {
                if (staff) {
                    actions.add(button(id, "vendors", () -> step(id, (f, x, t) -> f.listVendors(x.claim(), required(), t))));
                }
            }
            case VENDORS_LISTED -> actions.add(button(id, "schedule", () -> step(id, (f, x, t) -> f.schedule(x.claim(), required(), day(), t))));
            case SCHEDULED -> {
                if (staff) {
                    actions.add(button(id, "dispatched", () -> desk().dispatched(user.scope(), id, day(), now())));
                }
            }
            case DISPATCHED -> {
                if (staff) {
                    actions.add(button(id, "reported", () -> step(id, (f, x, t) -> f.reported(x.claim(), yen(), t))));
                }
            }
            case REPORTED -> {
                if (staff) {
                    actions.add(button(id, "claimed", () -> step(id, (f, x, t) -> f.claim(x.claim(), t))));
                }
            }
            case CLAIMED -> {
                if (staff) {
                    actions.add(button(id, "paid", () -> step(id, (f, x, t) -> f.paid(x.claim(), t))));
                }
            }
            default -> {
            }
        }
        box.add(actions);
        return box;
    }

    private Claims.Stored step(long id, ClaimDesk.Step step) {
        return desk().step(user.scope(), id, step, now());
    }

    /** Staff: a new claim on a contract, from the alert mail's arrival. */
    private void newClaim() {
        List<Contracts.Stored> contracts = Portal.get().store().contracts().list(user.scope()).stream()
                .filter(k -> k.customer().isPresent()).toList();
        ComboBox<Contracts.Stored> contract = new ComboBox<>(getTranslation("claims.contract"), contracts);
        contract.setItemLabelGenerator(k -> getTranslation("contracts.number") + " " + k.id());
        contract.setId("new-claim-contract");
        DateTimePicker alertMail = new DateTimePicker(getTranslation("claims.alertMail"));
        alertMail.setId("new-claim-alert-mail");
        Checkbox raised = new Checkbox(getTranslation("claims.raised"));
        raised.setId("new-claim-raised");
        Button open = new Button(getTranslation("claims.open"), e -> act(() -> {
            Contracts.Stored k = Optional.ofNullable(contract.getValue()).orElseThrow(() -> new IllegalArgumentException(
                    getTranslation("claims.contract") + "?"));
            LocalDateTime at = Optional.ofNullable(alertMail.getValue()).orElseThrow(() -> new IllegalArgumentException(
                    getTranslation("claims.alertMail") + "?"));
            long id = desk().open(user.scope(), k.id(), at.atZone(Format.JST), !raised.getValue(),
                    text.getValue().isBlank() ? Optional.empty() : Optional.of(text.getValue().strip()), Optional.empty(), now());
            return Portal.get().store().claims().get(user.scope(), id).orElseThrow();
        }));
        open.setId("new-claim-open");
        open.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2(getTranslation("claims.new")), new HorizontalLayout(contract, alertMail, raised), open);
    }

    private Button button(long id, String action, java.util.function.Supplier<Claims.Stored> step) {
        Button b = new Button(getTranslation("claims." + action), e -> act(step));
        b.setId("claim-" + id + "-" + action);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return b;
    }

    private String required() {
        String v = text.getValue() == null ? "" : text.getValue().strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(getTranslation("claims.text") + "?");
        }
        return v;
    }

    private LocalDate day() {
        return Optional.ofNullable(day.getValue()).orElseThrow(() -> new IllegalArgumentException(getTranslation("claims.day") + "?"));
    }

    private long yen() {
        Integer v = amount.getValue();
        if (v == null || v <= 0) {
            throw new IllegalArgumentException(getTranslation("claims.amount") + "?");
        }
        return v;
    }

    /** Runs a step; the page shows the claim's new state, or the rule that refused it. */
    private void act(java.util.function.Supplier<Claims.Stored> action) {
        String result;
        try {
            Claims.Stored s = action.get();
            result = getTranslation("claims.number") + " " + s.id() + ": " + s.claim().state().ja() + "（" + s.claim().steps().getLast().what() + "）";
        } catch (IllegalArgumentException | IllegalStateException e) {
            result = e.getMessage();
        }
        text.clear();
        render();
        message.setText(result);
    }
}
