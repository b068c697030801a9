package org.omamori.portal.web;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.annotation.WebListener;

/**
 * The session cookie: HttpOnly, SameSite=Strict, a cookie only (never an id in the URL), and
 * 30 minutes of inactivity end a session (docs/portal.md).
 */
@WebListener
public class SessionCookies implements ServletContextListener {

    public static final int IDLE_MINUTES = 30;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
        cookie.setHttpOnly(true);
        cookie.setAttribute("SameSite", "Strict");
        cookie.setName("OMAMORI_SESSION");
        event.getServletContext().setSessionTrackingModes(java.util.Set.of(SessionTrackingMode.COOKIE));
        event.getServletContext().setSessionTimeout(IDLE_MINUTES);
    }
}
