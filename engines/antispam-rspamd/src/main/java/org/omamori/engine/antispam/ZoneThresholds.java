package org.omamori.engine.antispam;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.api.engine.ZonePair;

/**
 * Thresholds per zone pair or per source zone, with a default. An entry reads
 * {@code wan->lan tag=6 refuse=15}, {@code wan tag=5 refuse=off} or {@code * tag=8 refuse=20};
 * the most specific entry wins: the pair, then the zone the mail comes from, then {@code *},
 * then {@link Thresholds#DEFAULTS}.
 */
public final class ZoneThresholds {

    private static final Pattern ENTRY = Pattern.compile(
            "\\s*(\\*|[a-z][a-z0-9-]{0,31}(?:->[a-z][a-z0-9-]{0,31})?)\\s+tag=(\\S+)\\s+refuse=(\\S+)\\s*");

    public static final ZoneThresholds DEFAULTS = new ZoneThresholds(Map.of(), Thresholds.DEFAULTS);

    private final Map<String, Thresholds> byKey;
    private final Thresholds fallback;

    private ZoneThresholds(Map<String, Thresholds> byKey, Thresholds fallback) {
        this.byKey = Map.copyOf(byKey);
        this.fallback = Objects.requireNonNull(fallback);
    }

    /**
     * Parses the configured entries; {@code source} names where they come from (e.g. the
     * configuration key) so that a bad entry is reported with its place.
     */
    public static ZoneThresholds parse(String source, List<String> entries) {
        Map<String, Thresholds> byKey = new HashMap<>();
        Thresholds fallback = Thresholds.DEFAULTS;
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i);
            if (entry.isBlank()) {
                continue;
            }
            String where = source + "[" + i + "]";
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": expected '<zone>[-><zone>] tag=<score> refuse=<score|off>'"
                        + " or '* tag=... refuse=...', got '" + printable(entry) + "'");
            }
            Thresholds t;
            try {
                t = new Thresholds(score(m.group(2)), score(m.group(3)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            String key = m.group(1);
            if (key.equals("*")) {
                fallback = t;
            } else if (byKey.put(key, t) != null) {
                throw new IllegalArgumentException(where + ": '" + key + "' is configured twice");
            }
        }
        return new ZoneThresholds(byKey, fallback);
    }

    /** The thresholds for a mail crossing these zones. */
    public Thresholds forZones(ZonePair zones) {
        Thresholds t = byKey.get(zones.from() + "->" + zones.to());
        if (t == null) {
            t = byKey.get(zones.from().id());
        }
        return t != null ? t : fallback;
    }

    private static double score(String text) {
        if (text.toLowerCase(Locale.ROOT).equals("off")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d) || Math.abs(d) > 10_000) {
                throw new IllegalArgumentException("score out of range: '" + text + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a score: '" + printable(text) + "' (a number such as 6 or 7.5, or off)", e);
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
