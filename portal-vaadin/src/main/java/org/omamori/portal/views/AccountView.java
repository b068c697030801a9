package org.omamori.portal.views;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.accounts.Account;
import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.TenantScope;

/** The user's own account: his second step, changed with a code as at first sign-in (after staff reset it, say). */
@Route("account")
public class AccountView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        SessionUser user = PortalSession.user().orElse(null);
        if (user == null) {
            return;
        }
        Account a = Portal.get().accounts().find(TenantScope.operator(), user.account()).orElseThrow();
        Paragraph current = new Paragraph(getTranslation("account.current", getTranslation("method." + a.twoStep().name())));
        current.setId("two-step-current");
        Paragraph done = new Paragraph();
        done.setId("account-message");
        add(new H1(getTranslation("account.title")), new Paragraph(getTranslation("account.loginId", a.loginId())),
                new H2(getTranslation("welcome.twoStep")), current, done,
                new TwoStepChooser(a::loginId, choice -> {
                    if (!Portal.get().signIn().changeTwoStep(user, choice, PortalSession.client())) {
                        return getTranslation("code.failed");
                    }
                    getUI().ifPresent(ui -> ui.navigate(AccountView.class));
                    return null;
                }));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("account.title");
    }
}
