package org.omamori.portal.views;

import java.time.Instant;
import java.util.List;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.store.Announcement;
import org.omamori.store.CustomerAnnouncements;
import org.omamori.store.CustomerId;

/** The dashboard's announcements: current ones open, past ones folded (docs/portal.md). */
final class Announcements {

    private Announcements() {
    }

    static Component forCustomer(Component page, SessionUser user, CustomerId customer, Instant now) {
        CustomerAnnouncements a = Portal.get().store().announcements().forCustomer(user.scope(), customer, now);
        VerticalLayout box = new VerticalLayout();
        box.setId("announcements");
        box.setPadding(false);
        if (a.current().isEmpty() && a.past().isEmpty()) {
            return box;
        }
        box.add(new H2(page.getTranslation("dashboard.announcements")));
        a.current().forEach(x -> box.add(card(page, x)));
        if (!a.past().isEmpty()) {
            VerticalLayout past = new VerticalLayout();
            past.setPadding(false);
            a.past().forEach(x -> past.add(card(page, x)));
            Details folded = new Details(page.getTranslation("dashboard.pastAnnouncements"), past);
            folded.setId("past-announcements");
            box.add(folded);
        }
        return box;
    }

    static Div card(Component page, Announcement a) {
        Div card = new Div();
        card.addClassNames("card", "announcement", a.kind().name().toLowerCase(java.util.Locale.ROOT));
        String when = a.startsAt().map(s -> Format.time(s) + a.endsAt().map(e -> " – " + Format.time(e)).orElse(""))
                .orElse("");
        card.add(new H3((a.emergency() ? page.getTranslation("announce.emergencyMark") : "")
                + page.getTranslation("announce.kind." + a.kind().name()) + "：" + a.title()));
        if (!when.isEmpty()) {
            card.add(new Paragraph(when));
        }
        a.effectiveOn().ifPresent(d -> card.add(new Paragraph(page.getTranslation(a.kind() == Announcement.Kind.ABOLITION
                ? "announce.abolishedOn" : "announce.effectiveOn") + " " + d)));
        for (String line : List.of(a.body().split("\n"))) {
            card.add(new Paragraph(line)); // text, never HTML
        }
        Paragraph published = new Paragraph(Format.time(a.publishedAt()));
        published.addClassName("published");
        card.add(published);
        return card;
    }
}
