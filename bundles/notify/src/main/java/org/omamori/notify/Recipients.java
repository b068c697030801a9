package org.omamori.notify;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The customer's alert mail addresses: at least one, at most {@value #MAX} (000 §4.3.1
 * 「メールの宛先は 3 つまで指定可能です」). Stopped-appliance notices go to the same addresses (000 §4.3.2).
 */
public record Recipients(List<String> addresses) {

    /** The most addresses a customer may give. */
    public static final int MAX = 3;

    // A plain check at the edge; the SMTP server has the last word.
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");

    public Recipients {
        Objects.requireNonNull(addresses, "addresses");
        addresses = addresses.stream().map(String::strip).toList();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no alert mail address: give 1 to " + MAX + " addresses");
        }
        if (addresses.size() > MAX) {
            throw new IllegalArgumentException("too many alert mail addresses: " + addresses.size()
                    + " given, at most " + MAX + " are allowed (000 §4.3.1); remove " + (addresses.size() - MAX));
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            if (!ADDRESS.matcher(a).matches()) {
                throw new IllegalArgumentException("alert mail address " + (i + 1) + " is not a mail address: '" + a
                        + "' (expected the form name@example.co.jp)");
            }
            if (!seen.add(a.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("alert mail address " + (i + 1) + " is given twice: " + a);
            }
        }
    }

    public static Recipients of(String... addresses) {
        return new Recipients(List.of(addresses));
    }
}
