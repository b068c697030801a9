package org.omamori.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The signed definitions packages the cloud serves to appliances (docs/definitions.md "From the
 * cloud"): kept per kind and version in the database, so any node serves them. The store keeps the
 * bytes and signature as given; whoever publishes checks the signature and the manifest first.
 */
@ProviderType
public interface DefinitionPackages {

    /** The kinds of packages (docs/api/definitions.yaml); keys is a rotation of the operator key. */
    List<String> KINDS = List.of("urlfilter", "ips", "av", "keys", "runtime");
    /** A version as docs/api/definitions.yaml has it: 1 to 4 numbers of at most 9 digits. */
    Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,8})(\\.(0|[1-9][0-9]{0,8})){0,3}");
    /** A detached Ed25519 signature in base64. */
    Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9+/]{86}==");
    /** The largest package kept. */
    int MAX_BYTES = 128 * 1024 * 1024;

    /** Where a package's rollout stands (docs/definitions.md "Staged rollout"). */
    enum Rollout {
        /** Served to its canaries only. */
        CANARY,
        /** Served to every appliance. */
        GENERAL,
        /** A canary failed with it: served to none. */
        STOPPED,
        /** Withdrawn by the operator (rolled back): served to none. */
        WITHDRAWN
    }

    /**
     * Who gets a new package first.
     *
     * @param percent    the share of the fleet (0–100), picked by a stable hash of the appliance, kind and version
     * @param appliances appliances named as canaries, besides the share
     */
    record Canaries(int percent, List<String> appliances) {
        public Canaries {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("a canary share is 0 to 100 %, not " + percent);
            }
            appliances = List.copyOf(appliances);
            if (percent == 0 && appliances.isEmpty()) {
                throw new IllegalArgumentException("canaries are a share of the fleet or named appliances");
            }
        }

        /** Whether {@code appliance} is one of this package's canaries. */
        public boolean includes(String appliance, String kind, String version) {
            return appliances.contains(appliance) || Math.floorMod((appliance + "/" + kind + "/" + version).hashCode(), 100) < percent;
        }
    }

    /** A published package, without its bytes. */
    record Package(String kind, String version, long size, String sha256, String signature, Instant publishedAt, Rollout rollout,
                   java.util.Optional<Canaries> canaries, java.util.Optional<Instant> rolloutAt, java.util.Optional<String> rolloutNote) {

        /** Whether this package is served to {@code appliance} now. */
        public boolean servedTo(String appliance) {
            return rollout == Rollout.GENERAL || (rollout == Rollout.CANARY && canaries.map(c -> c.includes(appliance, kind, version)).orElse(false));
        }
    }

    /** What the canary check decided for a package. */
    record Decision(String kind, String version, Rollout to, String why) {
    }

    /** What {@link #publish} did. */
    enum Published {
        /** Stored. */
        NEW,
        /** The same bytes were published before under this kind and version: nothing changed. */
        SAME
    }

    /**
     * Keeps a package.
     *
     * @throws IllegalArgumentException for an unknown kind, a malformed version or signature, an empty or
     *         too large package, or other bytes already published under this kind and version
     */
    default Published publish(String kind, String version, byte[] zip, String signature) {
        return publish(kind, version, zip, signature, java.util.Optional.empty());
    }

    /** {@link #publish(String, String, byte[], String)} to {@code canaries} first (empty: to every appliance at once). */
    Published publish(String kind, String version, byte[] zip, String signature, java.util.Optional<Canaries> canaries);

    /** The newest package of a kind served to {@code appliance} now (its rollout decides). */
    Optional<Package> latestFor(String kind, String appliance);

    /**
     * Moves a package's rollout by the operator's word: GENERAL (promote), STOPPED, WITHDRAWN (roll back:
     * appliances not past it get the newest package still served; one that applied it keeps it until a
     * newer version is published, as an appliance never takes an older version).
     *
     * @throws IllegalArgumentException when the package does not exist
     */
    Package rollout(String kind, String version, Rollout to, String note);

    /**
     * The canary check (a cloud job): a CANARY package whose canaries with a recent heartbeat all report
     * it (or newer) in force becomes GENERAL; one whose canary reported a definitions failure or refusal
     * since its rollout started is STOPPED. Canaries that sent no heartbeat since {@code quiet} ago do not
     * count; with none that count, nothing is decided.
     */
    List<Decision> checkCanaries(Instant now, java.time.Duration quiet);

    /** The newest version of a kind. */
    Optional<Package> latest(String kind);

    /** A package's bytes. */
    Optional<byte[]> content(String kind, String version);

    /** The packages of a kind (every kind when empty), newest first. */
    List<Package> list(Optional<String> kind);

    /** The key that orders versions numerically as text: each part zero-padded to 9 digits, 4 parts. */
    static String sortKey(String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a version: " + version);
        }
        String[] parts = version.split("\\.");
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            String p = i < parts.length ? parts[i] : "0";
            key.append(i == 0 ? "" : ".").append("0".repeat(9 - p.length())).append(p);
        }
        return key.toString();
    }
}
