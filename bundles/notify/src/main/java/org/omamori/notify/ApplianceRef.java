package org.omamori.notify;

import java.util.Objects;

import org.omamori.events.ApplianceId;

/**
 * An appliance as the customer recognises it in a mail.
 *
 * @param id   its serial
 * @param name where it stands, as the customer named it (e.g. {@code 本社 1F}); may be empty
 */
public record ApplianceRef(ApplianceId id, String name) {

    public ApplianceRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /** {@code 本社 1F (0a1b2c3d4e5f)}, or the serial alone. */
    @Override
    public String toString() {
        return name.isBlank() ? id.value() : name + " (" + id.value() + ")";
    }
}
