package org.omamori.store;

import org.omamori.api.text.Printable;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.omamori.events.ApplianceId;

/**
 * Each appliance's desired configuration as the cloud holds it, its history and what the appliance
 * reported (docs/fleet.md "Configuration from the cloud"). A version is the whole settings map; a change
 * makes the next version from the one before. Keys are {@code <area>.<property>}; the appliance checks
 * them against its components' metatype and reports the version in force or why it refused one.
 */
public interface ApplianceSettings {

    /** {@code proxy.brandName}, {@code inspection.failurePolicy}: an area, a dot, a property name. */
    Pattern KEY = Pattern.compile("[a-z][a-z0-9]{0,31}\\.[A-Za-z_][A-Za-z0-9_]{0,63}");
    int MAX_KEYS = 200;
    int MAX_VALUE_CHARS = 2000;

    /**
     * One version of an appliance's settings.
     *
     * @param changes what this version changed: key to its new value, empty for a key removed
     * @param counted made on the customer's request: counts against the contract's monthly limit
     */
    record Version(ApplianceId appliance, int version, Map<String, String> settings, Map<String, Optional<String>> changes,
                   Instant changedAt, String changedBy, Optional<String> note, boolean counted) {
        public Version {
            settings = Map.copyOf(settings);
            changes = Map.copyOf(changes);
        }
    }

    /** What the appliance last reported. */
    record Reported(OptionalInt applied, Optional<Instant> appliedAt, OptionalInt refused, Optional<String> reason, Instant reportedAt) {
    }

    /** The newest version; empty while the cloud holds none for this appliance (it keeps its local files). */
    Optional<Version> desired(ApplianceId appliance);

    /**
     * Makes the next version: the newest one's settings with {@code changes} applied (an empty value
     * removes the key). Keys and values are checked here (shape and size only; their meaning is the
     * appliance's to check).
     *
     * @throws IllegalArgumentException an unknown appliance, a malformed key, a value too long, nothing changed
     */
    Version change(ApplianceId appliance, Map<String, Optional<String>> changes, String by, Optional<String> note, boolean counted);

    /** Newest first, at most {@code limit}. */
    List<Version> history(ApplianceId appliance, int limit);

    /** The appliance applied {@code version} (refusal empty) or refused it (with the reason). */
    void reported(ApplianceId appliance, int version, Optional<String> refusal);

    Optional<Reported> reported(ApplianceId appliance);

    /**
     * The version a heartbeat's answer offers: the newest held, unless the appliance reported it applied or
     * refused already (a refused version is not offered again; the operator makes a new one). One small
     * query, for every heartbeat.
     */
    OptionalInt toOffer(ApplianceId appliance);

    /** The customer the appliance is registered for; empty for an unknown appliance. */
    Optional<CustomerId> customerOf(ApplianceId appliance);

    /** The changes made on request for the customer's appliances in a month (JST): the remote-change limit counts them. */
    int countedChanges(CustomerId customer, YearMonth month);

    /** Checks a key and a value as {@link #change} does; the reason, or empty when sound. */
    static Optional<String> problem(String key, Optional<String> value) {
        if (key == null || !KEY.matcher(key).matches()) {
            return Optional.of("key '" + Printable.shown(key, 80) + "' is not area.property (e.g. proxy.brandName)");
        }
        if (value.isPresent()) {
            String v = value.get();
            if (v.length() > MAX_VALUE_CHARS) {
                return Optional.of(key + ": value longer than " + MAX_VALUE_CHARS + " characters");
            }
            for (int i = 0; i < v.length(); i++) {
                if (Printable.unsafe(v.charAt(i))) {
                    return Optional.of(key + ": value has a control or invisible character at " + i);
                }
            }
        }
        return Optional.empty();
    }
}
