package org.omamori.backoffice.edition;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.omamori.api.edition.Edition;

/**
 * The editions a runtime knows, by id, and the neutral default for a reseller without one or
 * with one not installed (docs/edition-sdk.md). An edition is foreign code: installing one calls
 * it once, checks what it returns, and keeps that; a bad edition is refused with a message that
 * names it. Thread-safe: the cloud installs and removes editions while mail is composed.
 */
public final class Editions {

    /**
     * An edition as installed.
     *
     * @param edition  the edition
     * @param version  its bundle's version ({@code unknown} when the runtime cannot tell)
     * @param findings what the national service standard check found ({@link ServiceStandard})
     */
    public record Installed(Edition edition, String version, List<ServiceStandard.Finding> findings) {
        public Installed {
            Objects.requireNonNull(edition, "edition");
            Objects.requireNonNull(version, "version");
            findings = List.copyOf(findings);
        }

        public String id() {
            return edition.id();
        }
    }

    /** Per id, the editions installed under it; the last installed is in force (a bundle update installs before it removes). */
    private final Map<String, List<Installed>> byId = new ConcurrentHashMap<>();

    /**
     * Checks and installs an edition, replacing one of the same id until it is removed.
     *
     * @throws IllegalArgumentException when its id is malformed or the default's, or what it returns fails its checks
     */
    public Installed install(Edition edition, String version) {
        Installed installed = check(edition, version);
        byId.compute(installed.id(), (id, list) -> {
            List<Installed> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.removeIf(i -> i.edition() == edition);
            next.add(installed);
            return List.copyOf(next);
        });
        return installed;
    }

    /** Removes an edition installed before (the same object); the one installed before it of the same id is in force again. */
    public void remove(Edition edition) {
        for (String id : byId.keySet()) {
            byId.computeIfPresent(id, (k, list) -> {
                List<Installed> next = new ArrayList<>(list);
                next.removeIf(i -> i.edition() == edition);
                return next.isEmpty() ? null : List.copyOf(next);
            });
        }
    }

    /** The edition in force for {@code id}, if installed. */
    public Optional<Installed> installed(String id) {
        List<Installed> list = byId.get(id);
        return list == null ? Optional.empty() : Optional.of(list.getLast());
    }

    /** The edition a reseller set to {@code id} gets: the installed one, else the neutral default. */
    public Edition of(Optional<String> id) {
        return id.flatMap(this::installed).map(Installed::edition).orElse(NeutralEdition.INSTANCE);
    }

    /**
     * Checks a customer's alert-mail addresses against its edition's terms ({@code maxRecipients}).
     *
     * @throws IllegalArgumentException naming the edition and its limit
     */
    public void checkRecipients(Optional<String> edition, int count) {
        Edition e = of(edition);
        int max = e.terms().maxRecipients();
        if (count > max) {
            throw new IllegalArgumentException("edition " + e.id() + " allows at most " + max + " alert mail addresses, not " + count);
        }
    }

    /** The editions in force, by id. */
    public List<Installed> installed() {
        List<Installed> all = new ArrayList<>();
        byId.values().forEach(list -> all.add(list.getLast()));
        all.sort(Comparator.comparing(Installed::id));
        return all;
    }

    /**
     * What {@link #install} keeps: the edition's values, read once and checked.
     *
     * @throws IllegalArgumentException naming the edition when anything is wrong
     */
    public static Installed check(Edition edition, String version) {
        Objects.requireNonNull(edition, "edition");
        String name = edition.getClass().getName();
        String id;
        try {
            id = edition.id();
            if (id == null || !Edition.ID.matcher(id).matches()) {
                throw new IllegalArgumentException("its id " + id + " is not lower-case letters, digits and - (2-40, a letter first)");
            }
            if (id.equals(NeutralEdition.ID) && edition != NeutralEdition.INSTANCE) {
                throw new IllegalArgumentException("its id is the neutral default's");
            }
            Objects.requireNonNull(edition.brand(), "brand()");
            Objects.requireNonNull(edition.terms(), "terms()");
            Objects.requireNonNull(edition.defaults(), "defaults()");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("edition " + name + " is refused: " + e.getMessage(), e);
        }
        return new Installed(edition, version, ServiceStandard.check(edition));
    }

    /**
     * The editions on a class path (the CLI's and the portal's): each edition bundle names its class
     * in {@code META-INF/services/org.omamori.api.edition.Edition}; versions as {@link #bundleVersion} finds them.
     */
    public static Editions onClassPath(ClassLoader loader) {
        Editions editions = new Editions();
        for (Edition e : ServiceLoader.load(Edition.class, loader)) {
            editions.install(e, bundleVersion(e.getClass()));
        }
        return editions;
    }

    /**
     * The version of the bundle a class came from: its jar's {@code Bundle-Version}, else (in the CLI's
     * single jar, whose manifest is its own) the Maven {@code pom.properties} our edition bundles carry
     * under their package's name; {@code unknown} when neither is there.
     */
    static String bundleVersion(Class<?> type) {
        URL self = type.getResource(type.getSimpleName() + ".class");
        if (self != null) {
            String url = self.toString();
            String root = url.substring(0, url.length() - (type.getName().length() + ".class".length()));
            try (InputStream in = java.net.URI.create(root + "META-INF/MANIFEST.MF").toURL().openStream()) {
                Attributes main = new Manifest(in).getMainAttributes();
                String version = main.getValue("Bundle-Version");
                if (version != null && main.getValue("Bundle-SymbolicName") != null) {
                    return version;
                }
            } catch (IOException | IllegalArgumentException e) {
                // no manifest beside the class: try the Maven properties
            }
        }
        try (InputStream in = type.getResourceAsStream("/META-INF/maven/org.omamori/" + type.getPackageName() + "/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
