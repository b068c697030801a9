package org.omamori.portal.views;

import java.util.Locale;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.UI;

import org.omamori.portal.web.PortalSession;

/** 日本語 / English: the choice is kept in the session and the page reloads in it. */
final class LanguageSwitch {

    private LanguageSwitch() {
    }

    static Button create() {
        Button b = new Button();
        b.setId("language");
        b.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        UI ui = UI.getCurrent();
        boolean english = ui != null && "en".equals(ui.getLocale().getLanguage());
        b.setText(english ? "日本語" : "English");
        b.addClickListener(e -> {
            PortalSession.locale(english ? Locale.JAPANESE : Locale.ENGLISH);
            UI.getCurrent().getPage().reload();
        });
        return b;
    }
}
