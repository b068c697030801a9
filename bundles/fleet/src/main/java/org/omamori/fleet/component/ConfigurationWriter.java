package org.omamori.fleet.component;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.omamori.fleet.SettingsPlan;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checked plan into Configuration Admin, one configuration per PID; when one update fails,
 * those done already get their former properties back, so a version is applied whole or not at all.
 */
final class ConfigurationWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationWriter.class);

    private final ConfigurationAdmin admin;

    ConfigurationWriter(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    void write(SettingsPlan plan) throws IOException {
        Set<String> pids = new TreeSet<>(plan.properties().keySet());
        pids.addAll(plan.removed().keySet());
        List<Runnable> undo = new ArrayList<>();
        try {
            for (String pid : pids) {
                // "?": a configuration that did not exist yet is bound to the component's bundle, as the definitions do.
                Configuration c = admin.getConfiguration(pid, "?");
                Dictionary<String, Object> before = c.getProperties();
                Hashtable<String, Object> next = copy(before);
                plan.removed().getOrDefault(pid, Set.of()).forEach(next::remove);
                for (Map.Entry<String, Object> e : plan.properties().getOrDefault(pid, Map.of()).entrySet()) {
                    next.put(e.getKey(), e.getValue());
                }
                if (c.updateIfDifferent(next)) {
                    undo.add(() -> restore(c, before));
                }
            }
        } catch (IOException | RuntimeException e) {
            undo.reversed().forEach(Runnable::run);
            throw new IOException("could not write the configuration (" + e.getMessage() + "); the settings in force are kept", e);
        }
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                copy.put(k, d.get(k));
            }
        }
        return copy;
    }

    private static void restore(Configuration c, Dictionary<String, Object> before) {
        try {
            if (before == null) {
                c.delete();
            } else {
                c.update(before);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("settings: configuration {} could not be restored: {}", Objects.toString(c.getPid()), e.getMessage());
        }
    }
}
