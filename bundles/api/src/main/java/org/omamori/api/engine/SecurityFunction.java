package org.omamori.api.engine;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A security function an engine serves. The well-known ones are constants; a vendor may name
 * a new one (lower case, dashes) without waiting for a new API version.
 */
public record SecurityFunction(String id) {

    // Before the constants: they are validated with it as the class initialises.
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public static final SecurityFunction IPS = new SecurityFunction("ips");
    public static final SecurityFunction ANTIVIRUS = new SecurityFunction("antivirus");
    public static final SecurityFunction URL_FILTERING = new SecurityFunction("url-filtering");
    public static final SecurityFunction APPLICATION_IDENTIFICATION = new SecurityFunction("application-identification");
    /** Scores a whole mail as spam or not (an SMTP intake asks for it once per mail). Since 1.4. */
    public static final SecurityFunction ANTISPAM = new SecurityFunction("antispam");


    public SecurityFunction {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("security function id must be 1-64 of [a-z0-9-], starting with a letter: " + id);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
