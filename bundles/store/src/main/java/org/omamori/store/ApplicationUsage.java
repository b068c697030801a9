package org.omamori.store;

import java.util.Objects;
import java.util.Set;

/**
 * One application over a day or a period.
 *
 * @param id          the engine's rule id, {@code app:<category>:<slug>} (e.g. {@code app:video:youtube})
 * @param name        the application's name as the engine gives it (e.g. {@code YouTube})
 * @param category    one of {@link #CATEGORIES}; {@code other} for a rule id of another form
 * @param connections connections identified (the events' occurrences)
 * @param clients     distinct client addresses that made them
 */
public record ApplicationUsage(String id, String name, String category, long connections, int clients) {

    /** The categories of the application identification contract (issue 19), in the portal's order. */
    public static final Set<String> CATEGORIES = Set.of("business", "video", "music", "messaging", "voip", "social",
            "file-sharing", "cloud-storage", "email", "remote-access", "vpn", "game", "shopping", "software-update",
            "network", "web", "other");

    public ApplicationUsage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
    }

    /** The category of a rule id {@code app:<category>:<slug>}; {@code other} when it is not of that form or not known. */
    public static String categoryOf(String ruleId) {
        if (ruleId.startsWith("app:")) {
            int colon = ruleId.indexOf(':', 4);
            if (colon > 4) {
                String c = ruleId.substring(4, colon);
                if (CATEGORIES.contains(c)) {
                    return c;
                }
            }
        }
        return "other";
    }
}
