package org.omamori.api.engine;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Identity of an engine.
 *
 * @param id        stable identifier, lower case letters, digits, dots and dashes ({@code urlfilter})
 * @param version   the engine's version, usually its bundle version
 * @param functions the security functions it serves; at least one
 */
public record EngineDescriptor(String id, String version, Set<SecurityFunction> functions) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    public EngineDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("engine id must be 1-64 of [a-z0-9.-], starting with a letter or digit: " + id);
        }
        if (functions == null || functions.isEmpty()) {
            throw new IllegalArgumentException("engine " + id + " must serve at least one security function");
        }
        functions = Set.copyOf(functions);
    }

    public boolean serves(SecurityFunction function) {
        return functions.contains(function);
    }
}
