package org.omamori.appliance.trust;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a bundle's {@code Provide-Capability} header to tell whether the bundle provides the
 * engine service. bnd writes {@code osgi.service;objectClass:List<String>="org.omamori.api.engine.Engine"}
 * for a DS component that provides it, so this is how an engine bundle can be known before it runs.
 */
public final class EngineCapability {

    public static final String ENGINE_SERVICE = "org.omamori.api.engine.Engine";

    private EngineCapability() {
    }

    /** True when the header (may be null) declares an {@code osgi.service} capability whose objectClass names the engine service. */
    public static boolean declaredIn(String provideCapability) {
        if (provideCapability == null || provideCapability.isBlank()) {
            return false;
        }
        for (String clause : split(provideCapability, ',')) {
            List<String> parts = split(clause, ';');
            if (!parts.getFirst().trim().equals("osgi.service")) {
                continue;
            }
            for (String parameter : parts.subList(1, parts.size())) {
                int eq = parameter.indexOf('=');
                if (eq < 0 || parameter.charAt(eq - 1) == ':') {
                    continue; // a directive (name:=value), not an attribute
                }
                String key = parameter.substring(0, eq).trim();
                int colon = key.indexOf(':');
                String name = colon < 0 ? key : key.substring(0, colon).trim();
                if (name.equals("objectClass")) {
                    for (String objectClass : split(unquote(parameter.substring(eq + 1).trim()), ',')) {
                        if (objectClass.trim().equals(ENGINE_SERVICE)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Splits at separators outside double quotes, keeping quotes and escapes intact. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                part.append(c);
            } else if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
