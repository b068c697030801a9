package org.omamori.definitions;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/** The operator's Ed25519 public key the appliance was installed with: the only signer it accepts. */
public final class OperatorKey {

    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    private final PublicKey key;

    public OperatorKey(PublicKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public static OperatorKey load(Path pem) throws IOException {
        return new OperatorKey(Pem.readPublic(pem));
    }

    /** Whether {@code signature} is this key's Ed25519 signature over exactly {@code bytes}. */
    public boolean verifies(byte[] bytes, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(Pem.ALGORITHM);
            s.initVerify(key);
            s.update(bytes);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public PublicKey publicKey() {
        return key;
    }
}
