package org.omamori.fleet;

import org.omamori.api.text.Printable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A version of the settings checked whole and turned into Configuration Admin properties per PID
 * (docs/fleet.md "Keys"). The first problem refuses the version, naming the key: nothing of it is applied.
 *
 * @param properties per PID, the properties to set (typed as the component's metatype says)
 * @param removed    per PID, the properties a former version set and this one no longer does, where the component has
 *                   no default to go back to
 */
public record SettingsPlan(int version, Map<String, Map<String, Object>> properties, Map<String, Set<String>> removed) {

    /** Key area to configuration PID: what the cloud may set. */
    public static final Map<String, String> AREAS = Map.ofEntries(
            Map.entry("proxy", "org.omamori.proxy"),
            Map.entry("dns", "org.omamori.dns"),
            Map.entry("inspection", "org.omamori.inspection"),
            Map.entry("uplink", "org.omamori.uplink"),
            Map.entry("urlfilter", "org.omamori.engine.urlfilter"),
            Map.entry("ips", "org.omamori.engine.ips"),
            Map.entry("av", "org.omamori.engine.av"),
            Map.entry("antispam", "org.omamori.engine.antispam"),
            Map.entry("appid", "org.omamori.engine.appid"),
            Map.entry("runtime", "org.omamori.runtime"),
            Map.entry("memory", "org.omamori.memory"));

    /**
     * Kept local whatever the cloud says: where the cloud is and the credentials to reach it (a wrong
     * value would cut the appliance off from the one place that could set it right), and the
     * definitions' folders, which the definitions updates own.
     */
    public static final Set<String> LOCAL = Set.of("uplink.cloudUrl", "uplink.credentials", "uplink.trustedCertificates",
            "uplink.firmwareVersion", "urlfilter.lists", "ips.rules");

    /** Metatype type codes (org.osgi.service.metatype.AttributeDefinition), here so the plan is plain Java. */
    static final int STRING = 1, LONG = 2, INTEGER = 3, SHORT = 4, CHARACTER = 5, BYTE = 6, DOUBLE = 7, FLOAT = 8, BOOLEAN = 11,
            PASSWORD = 12;

    /**
     * @param previousKeys the keys the version in force set (their properties are removed when this one lacks them)
     * @throws IllegalArgumentException the first problem, naming the key
     */
    public static SettingsPlan of(SettingsDocument doc, Set<String> previousKeys, Schema schema) {
        Map<String, Map<String, Object>> properties = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(doc.settings()).entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            String area = dot > 0 ? key.substring(0, dot) : "";
            String id = dot > 0 ? key.substring(dot + 1) : "";
            String pid = AREAS.get(area);
            String shown = Printable.shown(key, 80);
            if (pid == null || id.isEmpty()) {
                throw new IllegalArgumentException(shown + ": unknown key; keys are area.property with area one of " + new TreeSet<>(AREAS.keySet()));
            }
            if (LOCAL.contains(key)) {
                throw new IllegalArgumentException(shown + ": kept local on the appliance; it cannot be set from the cloud");
            }
            if (!schema.knows(pid)) {
                throw new IllegalArgumentException(shown + ": the component " + pid + " is not installed on this appliance");
            }
            Schema.Property p = schema.property(pid, id)
                    .orElseThrow(() -> new IllegalArgumentException(shown + ": unknown key; " + pid + " has no property " + Printable.shown(id, 80)));
            if (p.type() == PASSWORD) {
                throw new IllegalArgumentException(shown + ": a secret; it is set on the appliance only");
            }
            properties.computeIfAbsent(pid, x -> new TreeMap<>()).put(id, typed(shown, e.getValue(), p));
        }
        // A key the version in force set and this one does not goes back to the component's default: written as a
        // value, not removed (FileInstall keeps a removed key in its file and would bring it back).
        Map<String, Set<String>> removed = new TreeMap<>();
        for (String key : previousKeys) {
            int dot = key.indexOf('.');
            String pid = dot > 0 ? AREAS.get(key.substring(0, dot)) : null;
            if (pid == null || doc.settings().containsKey(key)) {
                continue;
            }
            String id = key.substring(dot + 1);
            Optional<Schema.Property> p = schema.property(pid, id);
            if (p.isPresent() && !p.get().defaults().isEmpty()) {
                properties.computeIfAbsent(pid, x -> new TreeMap<>()).put(id, String.join(", ", p.get().defaults()));
            } else {
                removed.computeIfAbsent(pid, x -> new TreeSet<>()).add(id);
            }
        }
        return new SettingsPlan(doc.version(), properties, removed);
    }

    /**
     * The value as a {@code .cfg} file holds it (FileInstall writes the configuration back there and reads it
     * again: a typed value would differ from the file's text and restart the component twice), once every
     * entry has passed the metatype's check. List settings are comma-separated entries (ListSetting).
     */
    private static String typed(String key, String value, Schema.Property p) {
        if (!p.multiple()) {
            one(key, value, p);
            return value.strip();
        }
        List<String> entries = split(value);
        for (String entry : entries) {
            one(key, entry, p);
        }
        return String.join(", ", entries);
    }

    private static Object one(String key, String value, Schema.Property p) {
        if (!p.options().isEmpty() && !p.options().contains(value)) {
            throw new IllegalArgumentException(key + ": '" + Printable.shown(value, 80) + "' is not one of " + p.options());
        }
        p.validation().problem(value).ifPresent(problem -> {
            throw new IllegalArgumentException(key + ": '" + Printable.shown(value, 80) + "' " + problem);
        });
        try {
            return switch (p.type()) {
                case INTEGER -> Integer.valueOf(value.strip());
                case LONG -> Long.valueOf(value.strip());
                case SHORT -> Short.valueOf(value.strip());
                case BYTE -> Byte.valueOf(value.strip());
                case DOUBLE -> Double.valueOf(value.strip());
                case FLOAT -> Float.valueOf(value.strip());
                case BOOLEAN -> switch (value.strip()) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(key + ": '" + Printable.shown(value, 80) + "' is not true or false");
                };
                case CHARACTER -> {
                    if (value.length() != 1) {
                        throw new IllegalArgumentException(key + ": one character is expected");
                    }
                    yield value.charAt(0);
                }
                default -> value;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + Printable.shown(value, 80) + "' is not a number");
        }
    }

    /** Comma-separated entries, stripped, empty ones dropped (as ListSetting reads them). */
    static List<String> split(String value) {
        List<String> entries = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.strip());
            }
        }
        return entries;
    }
}
