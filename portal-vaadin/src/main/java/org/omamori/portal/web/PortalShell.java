package org.omamori.portal.web;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * The page shell: Lumo and the portal's own stylesheet (META-INF/resources/styles/portal.css).
 * Stylesheets need no frontend rebuild, so editions can restyle the portal with CSS alone.
 */
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("styles/portal.css")
@Meta(name = "referrer", content = "no-referrer")
public class PortalShell implements AppShellConfigurator {
}
