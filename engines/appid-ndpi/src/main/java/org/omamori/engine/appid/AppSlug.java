package org.omamori.engine.appid;

import java.util.Locale;

/** An application's name as an id: lower case, each character outside [a-z0-9] a dash. */
final class AppSlug {

    private AppSlug() {
    }

    static String of(String appName) {
        String lower = appName.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
        }
        return b.toString();
    }
}
