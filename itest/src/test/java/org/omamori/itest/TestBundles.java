package org.omamori.itest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Engine;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import jdk.security.jarsigner.JarSigner;

/** Makes real engine bundles from packages of the test tree with bnd, and signs them as an operator would. */
final class TestBundles {

    private TestBundles() {
    }

    /** A bundle of one test package, with DS components processed as bnd-maven-plugin would. */
    static Path build(String symbolicName, String version, String packageName, Path out) throws Exception {
        try (Builder builder = new Builder()) {
            builder.setProperty("Bundle-SymbolicName", symbolicName);
            builder.setProperty("Bundle-Version", version);
            builder.setProperty("Private-Package", packageName);
            builder.setProperty("-dsannotations", "*");
            builder.setProperty("-noimportjava", "true");
            builder.setProperty("-noextraheaders", "true");
            builder.addClasspath(new File(System.getProperty("omamori.testClasses", "target/test-classes")));
            builder.addClasspath(new File(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            Jar jar = builder.build();
            if (!builder.isOk()) {
                throw new IllegalStateException("bnd could not build " + symbolicName + ": " + builder.getErrors());
            }
            Files.createDirectories(out.getParent());
            jar.write(out.toFile());
        }
        return out;
    }

    /** An operator's signing key: a PKCS12 keystore made by the JDK's keytool, and its certificate as PEM. */
    record SigningKey(Path keystore, String alias, char[] password, Path certificatePem) {

        static SigningKey create(Path dir, String alias, String keyAlgorithm) throws Exception {
            Files.createDirectories(dir);
            Path keystore = dir.resolve(alias + ".p12");
            Path pem = dir.resolve(alias + ".pem");
            String password = "itest-" + alias;
            keytool("-genkeypair", "-alias", alias, "-keyalg", keyAlgorithm, "-dname", "CN=" + alias + ", O=Omamori itest",
                    "-validity", "30", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
            keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", password,
                    "-file", pem.toString());
            return new SigningKey(keystore, alias, password.toCharArray(), pem);
        }

        Path sign(Path jar, Path signed) throws Exception {
            var ks = java.security.KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                ks.load(in, password);
            }
            var entry = (java.security.KeyStore.PrivateKeyEntry) ks.getEntry(alias,
                    new java.security.KeyStore.PasswordProtection(password));
            JarSigner signer = new JarSigner.Builder(entry).build();
            try (var zip = new java.util.zip.ZipFile(jar.toFile()); var out = Files.newOutputStream(signed)) {
                signer.sign(zip, out);
            }
            return signed;
        }

        private static void keytool(String... args) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        }
    }
}
