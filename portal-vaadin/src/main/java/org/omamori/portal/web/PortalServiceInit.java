package org.omamori.portal.web;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;

/**
 * Every new UI speaks the language its session chose, Japanese unless the user picked English
 * (whatever the browser asks for: the service language is Japanese, docs/portal.md).
 */
public class PortalServiceInit implements VaadinServiceInitListener {

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(e -> {
            VaadinSession session = e.getUI().getSession();
            Object chosen = session.getAttribute(PortalSession.LOCALE);
            e.getUI().setLocale(chosen instanceof java.util.Locale l ? l : Messages.JAPANESE);
        });
    }
}
