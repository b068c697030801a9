package org.omamori.notify;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The From of a mail: an address and a display name (an edition's, docs/edition-sdk.md). The
 * address is a plain one; neither may carry a line break into the header.
 */
public record Sender(String address, String name) {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z]{2,24}");

    public Sender {
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("not a plain mail address: " + address);
        }
        Objects.requireNonNull(name, "name");
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a sender's name is one line without control characters");
        }
    }
}
