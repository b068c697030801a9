package org.omamori.store.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP secrets at rest: AES-256-GCM under the portal's key, a fresh 96-bit nonce each time, the
 * account id as associated data, so a database dump alone does not yield the secrets and a
 * ciphertext copied onto another account's row does not decrypt. Stored as
 * {@code v1:<base64(nonce | ciphertext+tag)>}; the version leaves room for a key rotation.
 */
public final class TotpSecretBox {

    private static final String PREFIX = "v1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param key 32 bytes */
    public TotpSecretBox(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("the TOTP secret key must be 32 bytes (AES-256)");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    String seal(long accountId, byte[] secret) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(accountId));
            byte[] ct = c.doFinal(secret);
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws IllegalStateException when the value was not sealed for this account with this key */
    byte[] open(long accountId, String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("unknown TOTP secret format for account " + accountId);
        }
        byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(aad(accountId));
            return c.doFinal(Arrays.copyOfRange(all, 12, all.length));
        } catch (GeneralSecurityException e) {
            // No detail: the message must not help anyone probing the key.
            throw new IllegalStateException("the TOTP secret of account " + accountId + " does not open with this key");
        }
    }

    private static byte[] aad(long accountId) {
        return ("omamori-totp:" + accountId).getBytes(StandardCharsets.US_ASCII);
    }
}
