package org.omamori.events;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** An appliance's id: 12 lower-case hex digits (the serial printed on the device). */
public record ApplianceId(String value) {

    private static final Pattern FORM = Pattern.compile("[0-9a-f]{12}");

    public ApplianceId {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("an appliance id is 12 lower-case hex digits: " + value);
        }
    }

    /** Accepts upper case too. */
    public static ApplianceId parse(String text) {
        return new ApplianceId(text.trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }
}
