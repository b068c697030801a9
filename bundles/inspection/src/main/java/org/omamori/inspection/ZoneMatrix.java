package org.omamori.inspection;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

/**
 * Which zone pairs are inspected (seed 000 §3.3.3). The default inspects traffic between any two
 * different zones (WAN↔LAN, WAN↔SSID, LAN↔SSID, between the two SSIDs) and not traffic within one
 * zone; exceptions are listed as pairs that are inspected anyway or not at all.
 *
 * @param sameZoneInspected      whether traffic within one zone is inspected (default no)
 * @param crossZoneInspected     whether traffic between different zones is inspected (default yes)
 * @param inspected              pairs inspected regardless of the two defaults
 * @param notInspected           pairs never inspected (wins over {@code inspected})
 */
public record ZoneMatrix(boolean sameZoneInspected, boolean crossZoneInspected,
                         Set<ZonePair> inspected, Set<ZonePair> notInspected) {

    /** Seed 000 §3.3.3. */
    public static final ZoneMatrix DEFAULT = new ZoneMatrix(false, true, Set.of(), Set.of());

    public ZoneMatrix {
        inspected = Set.copyOf(inspected);
        notInspected = Set.copyOf(notInspected);
    }

    public boolean inspects(ZonePair pair) {
        if (notInspected.contains(pair)) {
            return false;
        }
        if (inspected.contains(pair)) {
            return true;
        }
        return pair.from().equals(pair.to()) ? sameZoneInspected : crossZoneInspected;
    }

    /**
     * Parses a list like {@code lan->lan, ssid-primary->ssid-secondary} (spaces or commas between
     * pairs); the configuration's error says which entry is wrong.
     */
    public static Set<ZonePair> pairs(String text, String setting) {
        Set<ZonePair> out = new LinkedHashSet<>();
        for (String entry : text.trim().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            int arrow = entry.indexOf("->");
            if (arrow <= 0) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not a zone pair like lan->wan");
            }
            try {
                out.add(new ZonePair(new Zone(entry.substring(0, arrow).toLowerCase(Locale.ROOT)),
                        new Zone(entry.substring(arrow + 2).toLowerCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": '" + entry + "': " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "same zone " + (sameZoneInspected ? "inspected" : "not inspected") + ", across zones "
                + (crossZoneInspected ? "inspected" : "not inspected")
                + (inspected.isEmpty() ? "" : ", also " + inspected)
                + (notInspected.isEmpty() ? "" : ", never " + notInspected);
    }
}
