package org.omamori.portal.views;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
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

/** User ID and password (docs/portal.md "Sign-in"). */
@Route(value = "signin", autoLayout = false)
public class SignInView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final TextField loginId = new TextField();
    private final PasswordField password = new PasswordField();
    private final Div message = new Div();

    public SignInView() {
        addClassName("signin");
        setAlignItems(Alignment.CENTER);
        loginId.setLabel(getTranslation("signin.loginId"));
        loginId.setId("login-id");
        loginId.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.USERNAME);
        loginId.setMaxLength(256);
        password.setLabel(getTranslation("signin.password"));
        password.setId("password");
        password.setMaxLength(1024);
        message.setId("signin-message");
        message.addClassName("error");
        Button submit = new Button(getTranslation("signin.submit"), e -> submit());
        submit.setId("signin-submit");
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        submit.addClickShortcut(Key.ENTER);
        VerticalLayout card = new VerticalLayout(new H1(getTranslation("app.title")),
                new Paragraph(getTranslation("signin.intro")), loginId, password, message, submit, LanguageSwitch.create());
        card.addClassName("card");
        card.setMaxWidth("28rem");
        add(card);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (PortalSession.user().isPresent()) {
            event.forwardTo(DashboardView.class);
        }
    }

    private void submit() {
        SignIn.Outcome outcome = Portal.get().signIn().password(loginId.getValue().strip(), password.getValue(),
                PortalSession.client());
        password.clear();
        switch (outcome) {
            case SignIn.SignedIn s -> {
                PortalSession.signIn(s.user());
                getUI().ifPresent(ui -> ui.navigate(DashboardView.class));
            }
            case SignIn.FirstSignIn f -> {
                PortalSession.pending(f);
                getUI().ifPresent(ui -> ui.navigate(FirstSignInView.class));
            }
            case SignIn.CodeNeeded c -> {
                PortalSession.pending(c);
                getUI().ifPresent(ui -> ui.navigate(CodeView.class));
            }
            case SignIn.Locked l -> message.setText(getTranslation("signin.locked", Format.time(l.until())));
            case SignIn.Failed f -> message.setText(getTranslation("signin.failed"));
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("signin.title");
    }
}
