package org.omamori.appliance.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

import org.omamori.appliance.trust.TrustDecision.Cause;
import org.omamori.appliance.trust.TrustDecision.Refused;
import org.omamori.appliance.trust.TrustDecision.Trusted;

/**
 * Decides whether an engine bundle jar may be installed: it must be a bundle that provides the
 * engine service, and every entry must be signed, intact, by one key the operator trusts.
 * Verification is the JDK's own ({@link JarFile} with verify on); this class adds the policy.
 *
 * <p>The trust directory is read on every call, so dropping a PEM file in takes effect at once.
 */
public final class BundleVerifier {

    /** Inflated bytes allowed per compressed byte: enough for any jar, too little for a zip bomb to keep us busy. */
    private static final long MAX_INFLATION = 32;

    private final Path trustDirectory;
    private final long maxBytes;
    private final Clock clock;

    public BundleVerifier(Path trustDirectory, long maxBytes, Clock clock) {
        this.trustDirectory = Objects.requireNonNull(trustDirectory, "trustDirectory");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public BundleVerifier(Path trustDirectory, long maxBytes) {
        this(trustDirectory, maxBytes, Clock.systemUTC());
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path trustDirectory() {
        return trustDirectory;
    }

    public TrustDecision verify(Path jarPath) {
        long size;
        try {
            size = Files.size(jarPath);
        } catch (IOException e) {
            return new Refused(Cause.NOT_A_JAR, "cannot read " + jarPath.getFileName() + ": " + e.getMessage());
        }
        if (size > maxBytes) {
            return new Refused(Cause.TOO_LARGE, "the jar is " + size + " bytes, more than the " + maxBytes
                    + " allowed (maxBundleBytes); an engine bundle should be far smaller, check the file");
        }
        try (JarFile jar = new JarFile(jarPath.toFile(), true)) {
            return verify(jar);
        } catch (ZipException e) {
            return new Refused(Cause.NOT_A_JAR, "not a jar (zip) file: " + e.getMessage());
        } catch (IOException e) {
            return new Refused(Cause.NOT_A_JAR, "cannot read the jar: " + e.getMessage());
        } catch (SecurityException e) {
            return new Refused(Cause.TAMPERED, "the jar's signature is broken: " + e.getMessage());
        }
    }

    private TrustDecision verify(JarFile jar) throws IOException {
        Manifest manifest = jar.getManifest();
        if (manifest == null) {
            return new Refused(Cause.NOT_A_BUNDLE, "not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
        }
        Attributes main = manifest.getMainAttributes();
        String symbolicName = symbolicName(main.getValue("Bundle-SymbolicName"));
        if (symbolicName == null) {
            return new Refused(Cause.NOT_A_BUNDLE, "not an OSGi bundle: the manifest has no Bundle-SymbolicName");
        }
        String version = main.getValue("Bundle-Version") == null ? "0.0.0" : main.getValue("Bundle-Version").trim();

        // Reading every entry to its end is what makes JarFile check its digest and signature.
        Map<String, List<X509Certificate>> signersByEntry = new LinkedHashMap<>();
        String unsignedEntry = null;
        Set<String> present = new HashSet<>();
        long inflated = 0;
        byte[] buffer = new byte[16 * 1024];
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            present.add(entry.getName());
            try (InputStream in = jar.getInputStream(entry)) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    inflated += n;
                    if (inflated > maxBytes * MAX_INFLATION) {
                        return new Refused(Cause.TOO_LARGE, "the jar inflates to more than " + maxBytes * MAX_INFLATION
                                + " bytes; refusing what looks like a zip bomb");
                    }
                }
            } catch (SecurityException e) {
                return new Refused(Cause.TAMPERED, "entry " + entry.getName()
                        + " does not match its signature (changed after signing): " + e.getMessage());
            }
            if (entry.isDirectory() || isSignatureFile(entry.getName())) {
                continue;
            }
            CodeSigner[] signers = entry.getCodeSigners();
            if (signers == null || signers.length == 0) {
                if (unsignedEntry == null) {
                    unsignedEntry = entry.getName();
                }
                continue;
            }
            List<X509Certificate> leaves = new ArrayList<>();
            for (CodeSigner signer : signers) {
                if (signer.getSignerCertPath().getCertificates().getFirst() instanceof X509Certificate leaf) {
                    leaves.add(leaf);
                }
            }
            signersByEntry.put(entry.getName(), leaves);
        }

        if (signersByEntry.isEmpty()) {
            return new Refused(Cause.UNSIGNED, "the jar is not signed; sign it with jarsigner and a key whose"
                    + " certificate is in " + trustDirectory + " (see the appliance README)");
        }
        if (unsignedEntry != null) {
            return new Refused(Cause.UNSIGNED_ENTRY, "entry " + unsignedEntry
                    + " is not signed while the rest of the jar is: it was added after signing; rebuild and re-sign the jar");
        }
        // An entry removed after signing leaves its digest behind in the signed manifest.
        for (String listed : manifest.getEntries().keySet()) {
            if (!present.contains(listed) && !listed.endsWith("/")) {
                return new Refused(Cause.TAMPERED, "entry " + listed
                        + " is listed in the signed manifest but missing from the jar: it was removed after signing");
            }
        }

        // Pin: the one key that signed every entry must be a trusted one.
        Map<String, X509Certificate> common = null;
        String firstEntry = null;
        for (Map.Entry<String, List<X509Certificate>> signed : signersByEntry.entrySet()) {
            Map<String, X509Certificate> keys = new LinkedHashMap<>();
            for (X509Certificate leaf : signed.getValue()) {
                keys.put(keyId(leaf), leaf);
            }
            if (common == null) {
                common = keys;
                firstEntry = signed.getKey();
            } else {
                common.keySet().retainAll(keys.keySet());
                if (common.isEmpty()) {
                    return new Refused(Cause.MIXED_SIGNERS, "entries " + firstEntry + " and " + signed.getKey()
                            + " are signed by different keys; sign the whole jar with one key");
                }
            }
        }

        TrustedKeys trusted = TrustedKeys.load(trustDirectory);
        if (trusted.isEmpty()) {
            return new Refused(Cause.NO_TRUSTED_KEYS, "no trusted signer certificates in " + trustDirectory
                    + "; put the PEM certificate of the key that signs engine bundles there");
        }
        Date now = Date.from(clock.instant());
        String invalidTrust = null;
        for (X509Certificate leaf : common.values()) {
            for (TrustedKeys.TrustedCertificate candidate : trusted.forKey(leaf.getPublicKey())) {
                try {
                    candidate.certificate().checkValidity(now);
                } catch (CertificateExpiredException e) {
                    invalidTrust = "the trusted certificate " + candidate.file().getFileName() + " for this signer expired on "
                            + candidate.certificate().getNotAfter().toInstant();
                    continue;
                } catch (CertificateNotYetValidException e) {
                    invalidTrust = "the trusted certificate " + candidate.file().getFileName() + " for this signer is not valid before "
                            + candidate.certificate().getNotBefore().toInstant();
                    continue;
                }
                if (!EngineCapability.declaredIn(main.getValue("Provide-Capability"))) {
                    return new Refused(Cause.NOT_AN_ENGINE, "bundle " + symbolicName + " is signed by a trusted key but is not an"
                            + " engine bundle: it does not declare the osgi.service capability for " + EngineCapability.ENGINE_SERVICE
                            + " (a DS @Component providing Engine makes bnd write it)");
                }
                return new Trusted(symbolicName, version, Signer.of(leaf));
            }
        }
        if (invalidTrust != null) {
            return new Refused(Cause.TRUST_NOT_VALID, invalidTrust + "; renew it and put the new PEM in " + trustDirectory);
        }
        List<String> signers = common.values().stream().map(leaf -> Signer.of(leaf).toString()).toList();
        return new Refused(Cause.UNTRUSTED_SIGNER, "signed by a key that is not trusted: " + String.join("; ", signers)
                + "; if this signer is yours, put its PEM certificate in " + trustDirectory);
    }

    /** The symbolic name without directives such as {@code ;singleton:=true}; null when absent or blank. */
    private static String symbolicName(String header) {
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String name = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        return name.isEmpty() ? null : name;
    }

    /** The files that carry the signature itself, as the JDK's jar verifier defines them. */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals(JarFile.MANIFEST_NAME) || upper.endsWith(".SF") || upper.endsWith(".DSA")
                || upper.endsWith(".RSA") || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-");
    }

    private static String keyId(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(certificate.getPublicKey().getEncoded());
    }
}
