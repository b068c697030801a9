package org.omamori.api.engine;

import java.util.Objects;

/** One protocol header line as received; names compare case-insensitively. */
public record Header(String name, String value) {

    /**
     * The pseudo-header an HTTP intake puts first among a response's headers, holding the status
     * line as received (e.g. {@code HTTP/1.1 404 Not Found}), for engines that look at it (IPS
     * {@code http.stat_code}); its name cannot clash with a real field. Since 1.3.
     */
    public static final String STATUS_LINE = ":status-line";

    /** {@link #STATUS_LINE} with {@code line}. Since 1.3. */
    public static Header statusLine(String line) {
        return new Header(STATUS_LINE, line);
    }

    /** Whether this is a pseudo-header (its name starts with {@code :}), not a field of the message. Since 1.3. */
    public boolean pseudo() {
        return name.startsWith(":");
    }

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public boolean is(String headerName) {
        return name.equalsIgnoreCase(headerName);
    }
}
