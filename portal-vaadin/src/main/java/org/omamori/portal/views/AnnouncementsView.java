package org.omamori.portal.views;

import java.time.LocalDateTime;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.accounts.AccountRole;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.Announcement;
import org.omamori.store.Customer;
import org.omamori.store.Reseller;

/**
 * Operators write announcements (planned maintenance at least a month ahead, failure notices with
 * facts only) for all customers, one reseller's customers or one customer; publishing shows them
 * on those dashboards and mails them through the outbox (docs/portal.md).
 */
@Route("operator/announcements")
public class AnnouncementsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Select<Announcement.Kind> kind = new Select<>();
    private final Select<String> audience = new Select<>();
    private final ComboBox<Object> target = new ComboBox<>();
    private final TextField title = new TextField();
    private final TextArea body = new TextArea();
    private final DateTimePicker starts = new DateTimePicker();
    private final DateTimePicker ends = new DateTimePicker();
    private final com.vaadin.flow.component.checkbox.Checkbox emergency = new com.vaadin.flow.component.checkbox.Checkbox();
    private final com.vaadin.flow.component.datepicker.DatePicker effective = new com.vaadin.flow.component.datepicker.DatePicker();
    private final Div message = new Div();
    private final VerticalLayout list = new VerticalLayout();
    private SessionUser user;

    public AnnouncementsView() {
        kind.setId("announce-kind");
        kind.setLabel(getTranslation("announce.kind"));
        kind.setItems(Announcement.Kind.values());
        kind.setItemLabelGenerator(k -> getTranslation("announce.kind." + k.name()));
        kind.setValue(Announcement.Kind.FAILURE);
        audience.setId("announce-audience");
        audience.setLabel(getTranslation("announce.audience"));
        audience.setItems("ALL", "RESELLER", "CUSTOMER");
        audience.setItemLabelGenerator(a -> getTranslation("announce.audience." + a));
        audience.setValue("ALL");
        target.setId("announce-target");
        target.setLabel(getTranslation("announce.target"));
        target.setItemLabelGenerator(o -> o instanceof Reseller r ? r.name() : o instanceof Customer c ? c.name() : "");
        target.setVisible(false);
        audience.addValueChangeListener(e -> {
            target.setVisible(!"ALL".equals(e.getValue()));
            target.clear();
            if ("RESELLER".equals(e.getValue())) {
                target.setItems(Portal.get().store().tenants().resellers(user.scope()).toArray());
            } else if ("CUSTOMER".equals(e.getValue())) {
                target.setItems(Portal.get().store().tenants().customers(user.scope()).toArray());
            }
        });
        title.setId("announce-title");
        title.setLabel(getTranslation("announce.subject"));
        title.setMaxLength(Announcement.MAX_TITLE);
        title.setWidthFull();
        body.setId("announce-body");
        body.setLabel(getTranslation("announce.body"));
        body.setMaxLength(Announcement.MAX_BODY);
        body.setWidthFull();
        starts.setLabel(getTranslation("announce.starts"));
        starts.setId("announce-starts");
        ends.setLabel(getTranslation("announce.ends"));
        ends.setId("announce-ends");
        emergency.setLabel(getTranslation("announce.emergency"));
        emergency.setId("announce-emergency");
        effective.setLabel(getTranslation("announce.effective"));
        effective.setId("announce-effective");
        effective.setHelperText(getTranslation("announce.effectiveHelp"));
        kind.addValueChangeListener(e -> showFields());
        showFields();
        message.setId("announce-message");
        Button publish = new Button(getTranslation("announce.publish"), e -> publish());
        publish.setId("announce-publish");
        publish.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        list.setPadding(false);
        add(new H1(getTranslation("announce.title")), kind, audience, target, title, body, starts, ends, emergency, effective, message, publish,
                new H2(getTranslation("announce.list")), list);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        if (user == null || user.role() != AccountRole.OPERATOR) {
            removeAll();
            add(new NotFound());
            return;
        }
        refresh();
    }

    private void publish() {
        Announcement.Audience a = switch (audience.getValue()) {
            case "RESELLER" -> target.getValue() instanceof Reseller r ? new Announcement.Audience.OfReseller(r.id()) : null;
            case "CUSTOMER" -> target.getValue() instanceof Customer c ? new Announcement.Audience.OfCustomer(c.id()) : null;
            default -> new Announcement.Audience.All();
        };
        try {
            if (a == null) {
                throw new IllegalArgumentException(getTranslation("announce.target"));
            }
            Announcement.Kind k = kind.getValue();
            Announcement.Draft draft = k.change()
                    ? Announcement.Draft.change(k, a, title.getValue(), body.getValue(), Optional.ofNullable(effective.getValue()))
                    : new Announcement.Draft(k, a, title.getValue(), body.getValue(), instant(starts.getValue()), instant(ends.getValue()),
                            k == Announcement.Kind.MAINTENANCE && emergency.getValue(), Optional.empty());
            Portal.get().store().announcements().publish(user.scope(), draft, user.account(), Portal.get().editions()::of);
            message.setText(getTranslation("announce.published"));
            message.removeClassName("error");
            title.clear();
            body.clear();
            refresh();
        } catch (IllegalArgumentException e) {
            message.setText(e.getMessage());
            message.addClassName("error");
        }
    }

    /** A change has the day it takes effect; a maintenance or failure its period; only a maintenance is emergency work. */
    private void showFields() {
        boolean change = kind.getValue() != null && kind.getValue().change();
        starts.setVisible(!change);
        ends.setVisible(!change);
        effective.setVisible(change);
        emergency.setVisible(kind.getValue() == Announcement.Kind.MAINTENANCE);
    }

    private static Optional<java.time.Instant> instant(LocalDateTime t) {
        return t == null ? Optional.empty() : Optional.of(t.atZone(Format.JST).toInstant());
    }

    private void refresh() {
        list.removeAll();
        Portal.get().store().announcements().list(user.scope()).stream().limit(50)
                .forEach(x -> list.add(Announcements.card(this, x)));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("announce.title");
    }
}
