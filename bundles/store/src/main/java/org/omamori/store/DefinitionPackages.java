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

    /** The kinds of packages (docs/api/definitions.yaml). */
    List<String> KINDS = List.of("urlfilter", "ips", "av");
    /** A version as docs/api/definitions.yaml has it: 1 to 4 numbers of at most 9 digits. */
    Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,8})(\\.(0|[1-9][0-9]{0,8})){0,3}");
    /** A detached Ed25519 signature in base64. */
    Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9+/]{86}==");
    /** The largest package kept. */
    int MAX_BYTES = 128 * 1024 * 1024;

    /** A published package, without its bytes. */
    record Package(String kind, String version, long size, String sha256, String signature, Instant publishedAt) {
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
    Published publish(String kind, String version, byte[] zip, String signature);

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
