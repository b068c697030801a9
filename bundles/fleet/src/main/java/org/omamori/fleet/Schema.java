package org.omamori.fleet;

import java.util.List;
import java.util.Optional;

/** What the appliance's components accept: their metatype, looked up by configuration PID and property. */
public interface Schema {

    /**
     * One property.
     *
     * @param type        the metatype type ({@code AttributeDefinition.STRING}, {@code INTEGER}, …)
     * @param multiple    an array or list (values given comma-separated)
     * @param options     the only values allowed; empty for any
     * @param validation  the metatype's check of one value: empty when sound, else the reason
     * @param defaults    the component's default (entries of a list); empty when it has none
     */
    record Property(int type, boolean multiple, List<String> options, Validation validation, List<String> defaults) {
    }

    interface Validation {
        Optional<String> problem(String value);
    }

    /** Empty when the component of {@code pid} is not installed, or has no such property. */
    Optional<Property> property(String pid, String id);

    /** Whether a component of {@code pid} is installed with its metatype. */
    boolean knows(String pid);
}
