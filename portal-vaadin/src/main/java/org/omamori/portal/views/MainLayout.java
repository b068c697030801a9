package org.omamori.portal.views;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Layout;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.omamori.accounts.AccountRole;
import org.omamori.api.edition.Edition;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;

/**
 * The frame of every signed-in page: the user's edition's name, logo, colour and legal links
 * (docs/edition-sdk.md), navigation by role, language, sign-out. Nobody passes it
 * without a session user: the sign-in page is where an anonymous request ends up.
 */
@Layout
public class MainLayout extends AppLayout implements BeforeEnterObserver {

    private boolean built;

    public MainLayout() {
        setPrimarySection(Section.NAVBAR);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var user = PortalSession.user();
        if (user.isEmpty()) {
            event.forwardTo(SignInView.class);
            return;
        }
        if (!built) {
            build(user.get());
            built = true;
        }
    }

    private void build(SessionUser user) {
        Optional<Edition> edition = Portal.get().edition(user);
        Span brand = new Span(edition.map(e -> e.brand().service().ja()).orElse(Portal.get().serviceName()));
        brand.addClassName("brand");
        brand.setId("brand");
        Span who = new Span(user.displayName());
        who.setId("signed-in-as");
        Button signOut = new Button(getTranslation("nav.signOut"), e -> PortalSession.signOut());
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout bar = new HorizontalLayout(new DrawerToggle(), brand, who, LanguageSwitch.create(), signOut);
        edition.ifPresent(e -> {
            // The edition's logo as an image (an SVG in <img> runs no script) and its colour under the bar.
            Image logo = new Image("data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(
                    e.brand().logoSvg().getBytes(StandardCharsets.UTF_8)), e.brand().company().ja());
            logo.setId("brand-logo");
            logo.setHeight("28px");
            bar.addComponentAtIndex(1, logo);
            bar.getStyle().set("border-bottom", "3px solid " + e.brand().colours().primary());
        });
        bar.setDefaultVerticalComponentAlignment(HorizontalLayout.Alignment.CENTER);
        bar.setWidthFull();
        bar.addClassName("navbar");
        bar.expand(who);
        addToNavbar(bar);

        SideNav nav = new SideNav();
        if (user.role() != AccountRole.CUSTOMER_USER) {
            nav.addItem(new SideNavItem(getTranslation("nav.customers"), CustomersView.class));
        }
        if (user.role() == AccountRole.OPERATOR) {
            nav.addItem(new SideNavItem(getTranslation("nav.announcements"), AnnouncementsView.class));
            nav.addItem(new SideNavItem(getTranslation("nav.faults"), FaultsView.class));
        }
        if (user.role() == AccountRole.CUSTOMER_USER) {
            nav.addItem(new SideNavItem(getTranslation("nav.dashboard"), DashboardView.class));
            nav.addItem(new SideNavItem(getTranslation("nav.alerts"), AlertListView.class));
            nav.addItem(new SideNavItem(getTranslation("nav.appliances"), AppliancesView.class));
            nav.addItem(new SideNavItem(getTranslation("nav.compare"), CompareView.class));
            nav.addItem(new SideNavItem(getTranslation("nav.dns"), DnsLogView.class));
            nav.addItem(new SideNavItem(getTranslation("nav.applications"), ApplicationsView.class));
        }
        nav.addItem(new SideNavItem(getTranslation(user.staff() ? "contracts.staffTitle" : "nav.contracts"), ContractsView.class));
        nav.addItem(new SideNavItem(getTranslation(user.staff() ? "tickets.staffTitle" : "nav.tickets"), TicketsView.class));
        nav.addItem(new SideNavItem(getTranslation("nav.claims"), ClaimsView.class));
        nav.addItem(new SideNavItem(getTranslation("nav.rma"), RmaView.class));
        nav.addItem(new SideNavItem(getTranslation("nav.reports"), ReportsView.class));
        nav.addItem(new SideNavItem(getTranslation("nav.account"), AccountView.class));
        addToDrawer(nav);
        edition.filter(e -> !e.brand().legal().isEmpty()).ifPresent(e -> {
            VerticalLayout legal = new VerticalLayout(new Span(getTranslation("legal.title")));
            legal.setId("legal-links");
            legal.setPadding(true);
            legal.setSpacing(false);
            for (var link : e.brand().legal()) {
                Anchor a = new Anchor(link.url(), link.titleJa());
                a.setTarget("_blank");
                a.getElement().setAttribute("rel", "noopener noreferrer");
                legal.add(a);
            }
            addToDrawer(legal);
        });
    }
}
