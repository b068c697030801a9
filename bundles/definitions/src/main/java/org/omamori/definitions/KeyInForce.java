package org.omamori.definitions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator key an appliance (or a cloud home) trusts, kept in its PEM file, and the
 * {@link Applier} of {@link Kind#KEYS} packages that replaces it. Only the key in force is trusted:
 * the previous one is not kept (docs/decisions/0025-operator-key-rotation.md), since a rotation is
 * most needed when that key may be in other hands; packages already applied are not verified again.
 */
public final class KeyInForce implements Supplier<OperatorKey>, Applier {

    private static final Logger LOG = LoggerFactory.getLogger(KeyInForce.class);

    private final Path file;
    private volatile OperatorKey key;

    private KeyInForce(Path file, OperatorKey key) {
        this.file = file;
        this.key = key;
    }

    /** The key in {@code file}; IOException when there is none or it is not an Ed25519 public key. */
    public static KeyInForce load(Path file) throws IOException {
        return new KeyInForce(file, OperatorKey.load(file));
    }

    @Override
    public OperatorKey get() {
        return key;
    }

    public Path file() {
        return file;
    }

    /**
     * Installs the rotation's next key once it checks out against the key in force; the same
     * rotation again (at start) finds its key in force and does nothing.
     */
    @Override
    public synchronized void apply(PackageVersion version, Path files) throws IOException {
        PublicKey current = key.publicKey();
        if (KeyRotation.same(KeyRotation.named(files), current)) {
            return;
        }
        PublicKey next = KeyRotation.next(files, current);
        replace(next);
        LOG.warn("definitions: operator key rotated by keys {}: {} replaces {} in {}", version, KeyRotation.fingerprint(next),
                KeyRotation.fingerprint(current), file);
    }

    /** Writes {@code next} to the key file (temporary file, then an atomic rename) and trusts it from now on. */
    public synchronized void replace(PublicKey next) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.writeString(tmp, Pem.publicPem(next), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        key = new OperatorKey(next);
    }
}
