package org.omamori.portal.web;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import com.vaadin.flow.i18n.I18NProvider;

/**
 * Every label of the portal, from {@code org/omamori/portal/messages*.properties} (UTF-8):
 * Japanese first, English selectable. A missing key shows as {@code !key!} so it is seen in tests.
 */
public class Messages implements I18NProvider {

    public static final Locale JAPANESE = Locale.JAPANESE;
    public static final List<Locale> LOCALES = List.of(Locale.JAPANESE, Locale.ENGLISH);

    @Override
    public List<Locale> getProvidedLocales() {
        return LOCALES;
    }

    @Override
    public String getTranslation(String key, Locale locale, Object... params) {
        return text(key, locale, params);
    }

    public static String text(String key, Locale locale, Object... params) {
        Locale l = locale != null && "en".equals(locale.getLanguage()) ? Locale.ENGLISH : Locale.JAPANESE;
        try {
            String pattern = ResourceBundle.getBundle("org.omamori.portal.messages", l,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
            return params.length == 0 ? pattern : new MessageFormat(pattern, l).format(params);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
    }
}
