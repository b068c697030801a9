package org.omamori.portal.web;

import java.util.Locale;
import java.util.Optional;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;

import org.omamori.portal.SessionUser;

/** What the portal keeps in the user's session: who is signed in, a sign-in in progress, the language. */
public final class PortalSession {

    static final String USER = "omamori.user";
    static final String PENDING = "omamori.pending";
    static final String LOCALE = "omamori.locale";
    static final String VIEWED = "omamori.viewed";

    private PortalSession() {
    }

    public static Optional<SessionUser> user() {
        VaadinSession s = VaadinSession.getCurrent();
        return s == null ? Optional.empty() : Optional.ofNullable((SessionUser) s.getAttribute(USER));
    }

    /**
     * Signs {@code user} in: a new session id first (what an attacker planted before sign-in is
     * worth nothing after it), then the user in the new session.
     */
    public static void signIn(SessionUser user) {
        VaadinService.reinitializeSession(VaadinRequest.getCurrent());
        VaadinSession.getCurrent().setAttribute(PENDING, null);
        VaadinSession.getCurrent().setAttribute(USER, user);
    }

    /** Ends the session (the HTTP session with it) and goes to the sign-in page. */
    public static void signOut() {
        VaadinSession s = VaadinSession.getCurrent();
        UI ui = UI.getCurrent();
        s.setAttribute(USER, null);
        ui.getPage().setLocation("signin");
        s.getSession().invalidate();
    }

    /** Runs {@code audit} the first time this session looks at {@code customer}'s pages. */
    @SuppressWarnings("unchecked")
    public static void viewing(org.omamori.store.CustomerId customer, Runnable audit) {
        VaadinSession s = VaadinSession.getCurrent();
        java.util.Set<Long> seen = (java.util.Set<Long>) s.getAttribute(VIEWED);
        if (seen == null) {
            seen = new java.util.HashSet<>();
            s.setAttribute(VIEWED, seen);
        }
        if (seen.add(customer.value())) {
            audit.run();
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> Optional<T> pending(Class<T> type) {
        Object o = VaadinSession.getCurrent().getAttribute(PENDING);
        return type.isInstance(o) ? Optional.of((T) o) : Optional.empty();
    }

    public static void pending(Object step) {
        VaadinSession.getCurrent().setAttribute(PENDING, step);
    }

    public static void locale(Locale locale) {
        VaadinSession.getCurrent().setAttribute(LOCALE, locale);
    }

    /** The client's address for the audit log. */
    public static String client() {
        VaadinRequest r = VaadinRequest.getCurrent();
        String a = r == null ? null : r.getRemoteAddr();
        return a == null || !a.matches("[0-9A-Fa-f.:]{2,64}") ? null : a;
    }
}
