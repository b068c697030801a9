package org.omamori.portal.views;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.accounts.TwoStepMethod;
import org.omamori.portal.Portal;
import org.omamori.portal.SignIn;
import org.omamori.portal.web.PortalSession;

/** The second step: the code from the authenticator app or the SMS. */
@Route(value = "signin/code", autoLayout = false)
public class CodeView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final TextField code = new TextField();
    private final Div message = new Div();
    private final Paragraph intro = new Paragraph();

    public CodeView() {
        setAlignItems(Alignment.CENTER);
        code.setLabel(getTranslation("code.label"));
        code.setId("code");
        code.setMaxLength(16);
        message.setId("code-message");
        message.addClassName("error");
        intro.setId("code-intro");
        Button submit = new Button(getTranslation("code.submit"), e -> submit());
        submit.setId("code-submit");
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        submit.addClickShortcut(Key.ENTER);
        VerticalLayout card = new VerticalLayout(new H1(getTranslation("code.title")), intro, code, message, submit);
        card.addClassName("card");
        card.setMaxWidth("28rem");
        add(card);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var pending = PortalSession.pending(SignIn.CodeNeeded.class);
        if (pending.isEmpty()) {
            event.forwardTo(SignInView.class);
            return;
        }
        intro.setText(pending.get().method() == TwoStepMethod.SMS
                ? getTranslation("code.sms", pending.get().challenge().maskedPhone())
                : getTranslation("code.totp"));
    }

    private void submit() {
        var pending = PortalSession.pending(SignIn.CodeNeeded.class).orElse(null);
        if (pending == null) {
            getUI().ifPresent(ui -> ui.navigate(SignInView.class));
            return;
        }
        SignIn.Outcome outcome = Portal.get().signIn().code(pending, code.getValue(), PortalSession.client());
        code.clear();
        switch (outcome) {
            case SignIn.SignedIn s -> {
                PortalSession.signIn(s.user());
                getUI().ifPresent(ui -> ui.navigate(DashboardView.class));
            }
            case SignIn.Locked l -> {
                PortalSession.pending(null);
                message.setText(getTranslation("signin.locked", Format.time(l.until())));
            }
            default -> {
                if (pending.method() == TwoStepMethod.SMS) {
                    PortalSession.pending(new SignIn.CodeNeeded(pending.accountId(), pending.method(),
                            SignIn.spent(pending.challenge())));
                }
                message.setText(getTranslation("code.failed"));
            }
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("code.title");
    }
}
