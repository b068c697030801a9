package org.omamori.engine.ips.rules;

import java.util.Objects;

/** One {@code flowbits:} operation. {@code noalert} has no name. */
public record Flowbit(Op op, String name) {

    public enum Op { SET, UNSET, TOGGLE, ISSET, ISNOTSET, NOALERT }

    public Flowbit {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(name, "name");
        if (op != Op.NOALERT && name.isEmpty()) {
            throw new IllegalArgumentException("flowbits " + op + " needs a name");
        }
    }
}
