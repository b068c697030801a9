package org.omamori.portal.views;

import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.desk.Ticket;
import org.omamori.backoffice.desk.TicketKind;
import org.omamori.desk.Desk;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.CustomerId;
import org.omamori.store.TenantScope;
import org.omamori.store.Tickets;

/**
 * The support desk (docs/desk.md). A customer opens a ticket of a kind, reads the desk's answers,
 * writes again or closes it; reseller staff and operators see the queue (what is due next, what is
 * late), read the thread with their notes, do the kind's steps, answer (mailed in the thread) and close.
 */
@Route("tickets")
public class TicketsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Div message = new Div();
    private final VerticalLayout detail = new VerticalLayout();
    private SessionUser user;
    private boolean all;

    public TicketsView() {
        message.setId("tickets-message");
        detail.setId("ticket-detail");
        detail.setPadding(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        user = PortalSession.user().orElse(null);
        render(Optional.empty());
    }

    @Override
    public String getPageTitle() {
        return getTranslation(user != null && user.staff() ? "tickets.staffTitle" : "tickets.title");
    }

    private Portal portal() {
        return Portal.get();
    }

    private Desk desk() {
        return new Desk(portal().store().tickets(), portal().editions()::of, portal().clock());
    }

    private void render(Optional<Long> open) {
        removeAll();
        detail.removeAll();
        if (user == null) {
            add(new NotFound());
            return;
        }
        add(new H1(getTranslation(user.staff() ? "tickets.staffTitle" : "tickets.title")), message);
        ZonedDateTime now = portal().clock().instant().atZone(DeskDeadlines.JST);
        Grid<Tickets.Stored> grid = new Grid<>();
        grid.setId("tickets");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(Tickets.Stored::token).setHeader(getTranslation("tickets.number")).setAutoWidth(true);
        grid.addColumn(s -> s.ticket().kind().ja()).setHeader(getTranslation("tickets.kind")).setAutoWidth(true);
        grid.addColumn(s -> s.ticket().subject()).setHeader(getTranslation("tickets.subject")).setFlexGrow(3);
        grid.addColumn(s -> s.ticket().state().ja() + (user.staff() && s.ticket().late(now) ? " " + getTranslation("tickets.late") : ""))
                .setHeader(getTranslation("tickets.state")).setAutoWidth(true);
        grid.addColumn(s -> s.ticket().state().waitingForDesk() ? Format.time(s.ticket().answerBy().toInstant()) : "")
                .setHeader(getTranslation("tickets.answerBy")).setAutoWidth(true);
        grid.addComponentColumn(s -> {
            Button b = new Button(getTranslation("tickets.open"), e -> render(Optional.of(s.id())));
            b.setId("ticket-" + s.id() + "-open");
            b.addThemeVariants(ButtonVariant.LUMO_SMALL);
            return b;
        }).setAutoWidth(true);
        if (user.staff()) {
            Checkbox every = new Checkbox(getTranslation("tickets.all"), all);
            every.setId("tickets-all");
            every.addValueChangeListener(e -> {
                all = e.getValue();
                render(Optional.empty());
            });
            add(new Div(getTranslation("tickets.queueHelp")), every);
        }
        grid.setItems(portal().store().tickets().list(user.scope(), user.staff() && !all, 500));
        add(grid, detail);
        open.ifPresent(this::thread);
        if (!user.staff()) {
            newTicket();
        }
    }

    /** A ticket's thread and what the user may do with it. */
    private void thread(long id) {
        Optional<Tickets.Stored> found = portal().store().tickets().get(user.scope(), id);
        if (found.isEmpty()) {
            return;
        }
        Tickets.Stored s = found.get();
        Ticket t = s.ticket();
        detail.add(new H2(getTranslation("tickets.number") + " " + s.token() + "　" + t.subject()));
        Div facts = new Div();
        facts.setId("ticket-facts");
        facts.setText(t.kind().ja() + "　" + getTranslation("tickets.state") + ": " + t.state().ja()
                + (t.state().waitingForDesk() ? "　" + getTranslation("tickets.answerBy") + " " + Format.time(t.answerBy().toInstant()) : "")
                + t.closesOn().filter(d -> t.state() == org.omamori.backoffice.desk.TicketState.ANSWERED)
                        .map(d -> "　" + getTranslation("tickets.closesOn") + " " + d).orElse("")
                + (user.staff() ? t.nextStep().map(n -> "　" + getTranslation("tickets.nextStep") + ": " + n).orElse("") : ""));
        detail.add(facts);
        for (Tickets.Message m : portal().store().tickets().messages(user.scope(), id, user.staff())) {
            Div head = new Div();
            head.setText(Format.time(m.at()) + "　" + getTranslation("tickets.from." + m.direction().name())
                    + (user.staff() ? "（" + m.author() + "）" : ""));
            Pre body = new Pre(m.body());
            body.addClassName("ticket-message");
            body.getStyle().set("white-space", "pre-wrap");
            detail.add(head, body);
            for (Tickets.Attachment a : m.attachments()) {
                detail.add(attachment(id, m.seq(), a));
            }
        }
        if (user.staff()) {
            Grid<Ticket.Step> steps = new Grid<>();
            steps.setId("ticket-steps");
            steps.addThemeVariants(GridVariant.LUMO_COMPACT);
            steps.setAllRowsVisible(true);
            steps.addColumn(st -> Format.time(st.at().toInstant())).setHeader(getTranslation("contracts.day")).setAutoWidth(true);
            steps.addColumn(st -> st.by().name()).setAutoWidth(true);
            steps.addColumn(st -> st.to().ja()).setHeader(getTranslation("tickets.state")).setAutoWidth(true);
            steps.addColumn(Ticket.Step::what).setHeader(getTranslation("contracts.what")).setFlexGrow(3);
            steps.setItems(t.history().reversed());
            detail.add(steps);
        }
        TextArea text = new TextArea(getTranslation(user.staff() ? "tickets.answerText" : "tickets.replyText"));
        text.setId("ticket-text");
        text.setWidthFull();
        text.setMaxLength(Tickets.MAX_BODY);
        HorizontalLayout actions = new HorizontalLayout();
        if (user.staff()) {
            TenantScope scope = user.scope();
            if (t.nextStep().isPresent() && t.state().waitingForDesk()) {
                actions.add(button(id, "step", () -> desk().step(scope, id, text.getValue()), false));
            }
            if (t.state().waitingForDesk()) {
                actions.add(button(id, "answer", () -> desk().answer(scope, id, required(text), false, user.loginId()), true));
                if (t.state() == org.omamori.backoffice.desk.TicketState.OPEN) {
                    actions.add(button(id, "firstAnswer", () -> desk().answer(scope, id, required(text), true, user.loginId()), false));
                }
            }
            actions.add(button(id, "note", () -> {
                desk().note(scope, id, required(text), user.loginId());
                return s;
            }, false));
            if (t.state() != org.omamori.backoffice.desk.TicketState.CLOSED && t.state() != org.omamori.backoffice.desk.TicketState.REFUSED) {
                actions.add(button(id, "close", () -> desk().close(scope, id), false));
            }
        } else if (t.state() != org.omamori.backoffice.desk.TicketState.REFUSED) {
            CustomerId me = ((TenantScope.Customer) user.scope()).id();
            actions.add(button(id, "reply", () -> desk().customerReply(me, id, required(text), user.loginId()), true));
            if (t.state() != org.omamori.backoffice.desk.TicketState.CLOSED) {
                actions.add(button(id, "solved", () -> desk().customerCloses(me, id), false));
            }
        }
        detail.add(text, actions);
    }

    /**
     * An attachment's download: read with the user's scope when it is downloaded, always as a file to
     * save (octet-stream, attachment), never shown inline: a sender's file is hostile.
     */
    private com.vaadin.flow.component.html.Anchor attachment(long id, int seq, Tickets.Attachment a) {
        TenantScope scope = user.scope();
        String name = a.name().replaceAll("[\\\\/:*?\"<>|]", "_");
        com.vaadin.flow.component.html.Anchor link = new com.vaadin.flow.component.html.Anchor(
                com.vaadin.flow.server.streams.DownloadHandler.fromInputStream(event -> {
                    byte[] bytes = portal().store().tickets().attachment(scope, id, seq, a.n()).orElse(new byte[0]);
                    return new com.vaadin.flow.server.streams.DownloadResponse(new java.io.ByteArrayInputStream(bytes), name,
                            "application/octet-stream", bytes.length);
                }), com.vaadin.flow.component.html.AttachmentType.DOWNLOAD,
                getTranslation("tickets.attachments") + ": " + a.name() + "（" + a.size() + " bytes）");
        link.setId("ticket-" + id + "-file-" + seq + "-" + a.n());
        return link;
    }

    /** The customer's form for a new ticket. */
    private void newTicket() {
        ComboBox<TicketKind> kind = new ComboBox<>(getTranslation("tickets.kind"),
                Arrays.stream(TicketKind.values()).filter(k -> k != TicketKind.INSURANCE).toList());
        kind.setItemLabelGenerator(TicketKind::ja);
        kind.setValue(TicketKind.INQUIRY);
        kind.setId("new-ticket-kind");
        TextField subject = new TextField(getTranslation("tickets.subject"));
        subject.setId("new-ticket-subject");
        subject.setMaxLength(Ticket.MAX_SUBJECT);
        subject.setWidthFull();
        TextArea body = new TextArea(getTranslation("tickets.body"));
        body.setId("new-ticket-body");
        body.setMaxLength(Tickets.MAX_BODY);
        body.setWidthFull();
        Button send = new Button(getTranslation("tickets.send"), e -> act(() -> {
            CustomerId me = ((TenantScope.Customer) user.scope()).id();
            Tickets.Stored s = desk().fromPortal(me, Optional.ofNullable(kind.getValue()).orElse(TicketKind.INQUIRY), required(subject.getValue()),
                    required(body), false, user.loginId(), List.of());
            return s;
        }));
        send.setId("new-ticket-send");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2(getTranslation("tickets.new")), kind, subject, body, send);
    }

    private Button button(long id, String action, java.util.function.Supplier<Tickets.Stored> step, boolean primary) {
        Button b = new Button(getTranslation("tickets." + action), e -> act(step));
        b.setId("ticket-" + id + "-" + action);
        b.addThemeVariants(primary ? ButtonVariant.LUMO_PRIMARY : ButtonVariant.LUMO_CONTRAST);
        return b;
    }

    private String required(TextArea text) {
        return required(text.getValue());
    }

    private String required(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(getTranslation("tickets.empty"));
        }
        return value;
    }

    /** Runs a step; the page shows the ticket after it, or the rule that refused it. */
    private void act(java.util.function.Supplier<Tickets.Stored> action) {
        String result;
        Optional<Long> open = Optional.empty();
        try {
            Tickets.Stored s = action.get();
            open = Optional.of(s.id());
            result = getTranslation("tickets.number") + " " + s.token() + ": " + s.ticket().state().ja() + "（"
                    + s.ticket().history().getLast().what() + "）";
        } catch (IllegalArgumentException | IllegalStateException e) {
            result = e.getMessage();
        }
        render(open);
        message.setText(result);
    }
}
