package org.omamori.portal.views;

import java.util.List;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.portal.Portal;
import org.omamori.portal.SignIn;
import org.omamori.portal.web.PortalSession;

/**
 * The first sign-in (seed 000 §3.5.3, docs/portal.md): the user chooses his own user ID and a new
 * password, then a second step — an authenticator app (QR code or typed secret), SMS, or none —
 * proved with a code before anything is stored.
 */
@Route(value = "welcome", autoLayout = false)
public class FirstSignInView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final TextField loginId = new TextField();
    private final PasswordField password = new PasswordField();
    private final PasswordField repeated = new PasswordField();
    private final Div problems = new Div();
    private final VerticalLayout credentials = new VerticalLayout();
    private final VerticalLayout twoStep = new VerticalLayout();

    public FirstSignInView() {
        setAlignItems(Alignment.CENTER);
        VerticalLayout card = new VerticalLayout();
        card.addClassName("card");
        card.setMaxWidth("36rem");
        loginId.setLabel(getTranslation("welcome.loginId"));
        loginId.setHelperText(getTranslation("welcome.loginId.help"));
        loginId.setId("new-login-id");
        loginId.setMaxLength(64);
        password.setLabel(getTranslation("welcome.password"));
        password.setHelperText(getTranslation("welcome.password.help"));
        password.setId("new-password");
        password.setMaxLength(128);
        repeated.setLabel(getTranslation("welcome.repeat"));
        repeated.setId("new-password-repeat");
        repeated.setMaxLength(128);
        problems.setId("welcome-problems");
        problems.addClassName("error");
        Button next = new Button(getTranslation("welcome.next"), e -> checkCredentials());
        next.setId("welcome-next");
        next.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        credentials.add(new Paragraph(getTranslation("welcome.intro")), loginId, password, repeated, problems, next);
        credentials.setPadding(false);

        twoStep.add(new H2(getTranslation("welcome.twoStep")), new Paragraph(getTranslation("welcome.twoStep.intro")),
                new TwoStepChooser(() -> loginId.getValue().strip(), this::finish));
        twoStep.setPadding(false);
        twoStep.setVisible(false);
        card.add(new H1(getTranslation("welcome.title")), credentials, twoStep);
        add(card);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (PortalSession.pending(SignIn.FirstSignIn.class).isEmpty()) {
            event.forwardTo(SignInView.class);
        }
    }

    private SignIn.FirstSignIn first() {
        return PortalSession.pending(SignIn.FirstSignIn.class).orElseThrow();
    }

    private void checkCredentials() {
        List<String> found = Portal.get().signIn().checkNewCredentials(first(), loginId.getValue().strip(),
                password.getValue(), repeated.getValue(), getLocale());
        problems.removeAll();
        found.forEach(p -> problems.add(new Paragraph(p)));
        if (found.isEmpty()) {
            credentials.setVisible(false);
            twoStep.setVisible(true);
        }
    }

    /** Stores everything chosen and signs in; the message to show when that failed. */
    private String finish(SignIn.Choice choice) {
        SignIn.Outcome outcome = Portal.get().signIn().finishFirstSignIn(first(), loginId.getValue().strip(),
                password.getValue(), choice, PortalSession.client());
        switch (outcome) {
            case SignIn.SignedIn s -> {
                PortalSession.signIn(s.user());
                getUI().ifPresent(ui -> ui.navigate(DashboardView.class));
                return null;
            }
            case SignIn.Locked l -> {
                PortalSession.pending(null);
                return getTranslation("signin.locked", Format.time(l.until()));
            }
            default -> {
                return getTranslation("code.failed");
            }
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("welcome.title");
    }
}
