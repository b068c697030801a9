package org.omamori.portal.views;

import java.util.function.Function;
import java.util.function.Supplier;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextField;

import org.omamori.accounts.TwoStepMethod;
import org.omamori.portal.Portal;
import org.omamori.portal.SignIn;

/**
 * Choosing a second step: an authenticator app (QR code and the typed secret), SMS (a code sent to
 * the phone), or none; a code proves the choice before {@code finish} stores it. Used at first
 * sign-in and on the account page.
 */
final class TwoStepChooser extends VerticalLayout {

    private final RadioButtonGroup<TwoStepMethod> method = new RadioButtonGroup<>();
    private final VerticalLayout detail = new VerticalLayout();
    private final Div message = new Div();
    private final Supplier<String> label;
    private final Function<SignIn.Choice, String> finish;
    private SignIn.TotpEnrolment enrolment;
    private SignIn.SmsChallenge challenge;

    /**
     * @param label  the account's name in the authenticator app
     * @param finish stores the choice; returns the message to show when it failed (null: done)
     */
    TwoStepChooser(Supplier<String> label, Function<SignIn.Choice, String> finish) {
        this.label = label;
        this.finish = finish;
        setPadding(false);
        method.setLabel(getTranslation("welcome.method"));
        method.setId("two-step-method");
        method.setItems(TwoStepMethod.TOTP, TwoStepMethod.SMS, TwoStepMethod.NONE);
        method.setItemLabelGenerator(m -> getTranslation("method." + m.name()));
        method.addValueChangeListener(e -> show(e.getValue()));
        message.setId("two-step-message");
        message.addClassName("error");
        detail.setPadding(false);
        add(method, detail, message);
    }

    private void show(TwoStepMethod m) {
        detail.removeAll();
        message.setText("");
        if (m == null) {
            return;
        }
        switch (m) {
            case TOTP -> {
                enrolment = Portal.get().signIn().enrolTotp(label.get());
                Span secret = new Span(enrolment.typedSecret());
                secret.setId("totp-secret");
                secret.addClassName("secret");
                TextField code = codeField();
                detail.add(new Paragraph(getTranslation("welcome.totp.scan")), QrCode.of(enrolment.uri()),
                        new Paragraph(getTranslation("welcome.totp.type")), secret, code,
                        finishButton(() -> new SignIn.UseTotp(enrolment, code.getValue())));
            }
            case SMS -> {
                TextField phone = new TextField(getTranslation("welcome.sms.phone"));
                phone.setId("sms-phone");
                phone.setMaxLength(20);
                phone.setPlaceholder("090-1234-5678");
                TextField code = codeField();
                code.setVisible(false);
                Button done = finishButton(() -> new SignIn.UseSms(challenge, code.getValue()));
                done.setVisible(false);
                Button send = new Button(getTranslation("welcome.sms.send"), e -> {
                    challenge = Portal.get().signIn().enrolSms(phone.getValue());
                    message.setText(challenge == null ? getTranslation("welcome.sms.badPhone") : "");
                    code.setVisible(challenge != null);
                    done.setVisible(challenge != null);
                });
                send.setId("sms-send");
                detail.add(phone, send, code, done);
            }
            case NONE -> detail.add(new Paragraph(getTranslation("welcome.none.warning")), finishButton(SignIn.UseNone::new));
        }
    }

    private TextField codeField() {
        TextField code = new TextField(getTranslation("code.label"));
        code.setId("enrol-code");
        code.setMaxLength(16);
        return code;
    }

    private Button finishButton(Supplier<SignIn.Choice> choice) {
        Button b = new Button(getTranslation("welcome.finish"), e -> {
            SignIn.Choice c = choice.get();
            String failed = finish.apply(c);
            if (failed != null) {
                if (c instanceof SignIn.UseSms) {
                    challenge = SignIn.spent(challenge);
                }
                message.setText(failed);
            }
        });
        b.setId("welcome-finish");
        b.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        return b;
    }
}
