package org.omamori.api.engine;

import java.util.Objects;
import java.util.regex.Pattern;

/** A network zone the appliance joins; listeners belong to one. Well-known zones are constants. */
public record Zone(String id) {

    // Before the constants: they are validated with it as the class initialises.
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public static final Zone WAN = new Zone("wan");
    public static final Zone LAN = new Zone("lan");
    public static final Zone SSID_PRIMARY = new Zone("ssid-primary");
    public static final Zone SSID_SECONDARY = new Zone("ssid-secondary");


    public Zone {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("zone id must be 1-32 of [a-z0-9-], starting with a letter: " + id);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
