package org.omamori.api.engine;

import java.util.Objects;

/** One protocol header line as received; names compare case-insensitively. */
public record Header(String name, String value) {

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public boolean is(String headerName) {
        return name.equalsIgnoreCase(headerName);
    }
}
