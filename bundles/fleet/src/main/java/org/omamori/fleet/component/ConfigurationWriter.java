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

import java.util.Optional;

import org.omamori.fleet.SettingsPlan;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
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

    /** How long the components of a new configuration have to come up before it is undone. */
    static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(15);
    /** How long every component must stay up with the new values before the version counts as applied. */
    static final java.time.Duration STEADY = java.time.Duration.ofMillis(1500);

    private final ConfigurationAdmin admin;
    private final ServiceComponentRuntime scr;

    ConfigurationWriter(ConfigurationAdmin admin, ServiceComponentRuntime scr) {
        this.admin = admin;
        this.scr = scr;
    }

    /**
     * Writes the plan, then waits until every component of the PIDs written runs with it; a component
     * that fails to activate with a value its metatype let through (a listener that does not parse, an
     * address in use) undoes the whole version, and its failure is the reason.
     */
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
        Optional<String> failed = awaitComponents(plan);
        if (failed.isPresent()) {
            undo.reversed().forEach(Runnable::run);
            throw new IOException(failed.get() + "; the settings in force before are back");
        }
    }

    /** Empty once each component configured by a written PID is active or satisfied with the new values; else what went wrong. */
    private Optional<String> awaitComponents(SettingsPlan plan) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long steadySince = 0;
        while (true) {
            Optional<String> pending = Optional.empty();
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                for (String pid : d.configurationPid) {
                    Map<String, Object> wanted = plan.properties().getOrDefault(pid, Map.of());
                    Set<String> gone = plan.removed().getOrDefault(pid, Set.of());
                    if (wanted.isEmpty() && gone.isEmpty()) {
                        continue;
                    }
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        Optional<String> stale = wanted.entrySet().stream().filter(e -> !e.getValue().equals(c.properties.get(e.getKey())))
                                .map(Map.Entry::getKey).findFirst().or(() -> gone.stream().filter(c.properties::containsKey).findFirst());
                        if (stale.isPresent()) {
                            pending = Optional.of(d.name + " has not taken the new configuration of " + pid + " (" + stale.get() + ")");
                        } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                            return Optional.of(pid + ": the component " + d.name + " does not start with these settings ("
                                    + firstLine(c.failure) + ")");
                        } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                            pending = Optional.of(d.name + " is waiting for its configuration " + pid);
                        } else if (d.immediate && c.state == ComponentConfigurationDTO.SATISFIED) {
                            // An immediate component is SATISFIED for a moment before its activation runs (and may fail).
                            pending = Optional.of(d.name + " is starting with the new configuration of " + pid);
                        }
                    }
                }
            }
            if (pending.isEmpty()) {
                // SCR shows the new properties before it has restarted the component with them: only a state that
                // holds for a moment says the component runs with them (a failed activation shows as FAILED_ACTIVATION).
                if (steadySince == 0) {
                    steadySince = System.nanoTime();
                } else if (System.nanoTime() - steadySince > STEADY.toNanos()) {
                    return Optional.empty();
                }
            } else {
                steadySince = 0;
            }
            if (pending.isPresent() && System.nanoTime() > deadline) {
                return Optional.of(pending.get() + " within " + SETTLE.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting for the components");
            }
        }
    }

    /** The root cause's line of a failure's stack trace (the component's own message, not the reflection wrapper). */
    private static String firstLine(String failure) {
        if (failure == null) {
            return "no reason given";
        }
        String line = failure.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b)
                .map(l -> l.substring("Caused by: ".length())).orElse(failure.lines().findFirst().orElse(""));
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
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
