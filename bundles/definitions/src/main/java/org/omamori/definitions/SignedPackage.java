package org.omamori.definitions;

import java.util.Base64;

/**
 * A package as it arrives: the zip's exact bytes and the detached Ed25519 signature over them.
 * Nothing about it is trusted until {@link PackageReader} has checked it.
 */
public record SignedPackage(byte[] bytes, byte[] signature) {

    /** Decodes a signature in its text form (base64 of the 64 bytes, surrounding white space ignored). */
    public static byte[] signatureOf(String base64) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return new byte[0]; // not base64: a signature that verifies nothing
        }
    }

    /** The text form of a signature: base64, one line. */
    public static String signatureText(byte[] signature) {
        return Base64.getEncoder().encodeToString(signature);
    }
}
