package org.omamori.definitions.component;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;

import org.omamori.definitions.Applier;
import org.omamori.definitions.PackageVersion;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Applies definitions by pointing one property of an engine's configuration at the new folder
 * (home-relative), keeping the configuration's other properties; the engine reloads in its
 * {@code @Modified} and keeps what is in force if the new set fails to load. The configuration
 * is taken with location {@code "?"} so a new one binds to the engine's bundle, not to ours.
 */
final class EngineConfiguration implements Applier {

    private final ConfigurationAdmin admin;
    private final String pid;
    private final String key;
    private final boolean array;
    private final Path home;

    /**
     * @param array whether the property is a String[] (IPS {@code rules}) rather than a String (URL filter {@code lists})
     */
    EngineConfiguration(ConfigurationAdmin admin, String pid, String key, boolean array, Path home) {
        this.admin = admin;
        this.pid = pid;
        this.key = key;
        this.array = array;
        this.home = home;
    }

    @Override
    public void apply(PackageVersion version, Path files) throws Exception {
        String path = files.startsWith(home) ? home.relativize(files).toString().replace('\\', '/') : files.toString();
        Configuration c = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = c.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        Object value = array ? new String[] {path} : path;
        Object current = properties.get(key);
        if (array ? current instanceof String[] s && Arrays.equals(s, (String[]) value) : value.equals(current)) {
            return;
        }
        properties.put(key, value);
        c.updateIfDifferent(properties);
    }

    @Override
    public String toString() {
        return pid + "/" + key;
    }
}
