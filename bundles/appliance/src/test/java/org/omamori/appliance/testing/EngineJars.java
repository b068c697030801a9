package org.omamori.appliance.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import jdk.security.jarsigner.JarSigner;

/** Engine bundle jars as bnd would make them, signed the way jarsigner signs them. */
public final class EngineJars {

    public static final String ENGINE_CAPABILITY = "osgi.service;objectClass:List<String>=\"org.omamori.api.engine.Engine\";uses:=\"org.omamori.api.engine\"";

    private EngineJars() {
    }

    /** An unsigned bundle jar; {@code provideCapability} null leaves the header out. */
    public static Path bundle(Path file, String symbolicName, String version, String provideCapability) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        if (symbolicName != null) {
            main.putValue("Bundle-SymbolicName", symbolicName);
        }
        main.putValue("Bundle-Version", version);
        if (provideCapability != null) {
            main.putValue("Provide-Capability", provideCapability);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("OSGI-INF/" + symbolicName + ".Engine.xml", "<scr:component name=\"" + symbolicName + "\"/>");
        entries.put("org/example/engine/Detector.class", "not really bytecode, " + symbolicName + " " + version);
        entries.put("org/example/engine/rules.txt", "block example.invalid\n");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    public static Path engine(Path file, String symbolicName, String version) throws IOException {
        return bundle(file, symbolicName, version, ENGINE_CAPABILITY);
    }

    /** Signs {@code unsigned} into {@code signed} with the JDK's jarsigner API. */
    public static Path sign(Path unsigned, Path signed, SigningKeys.Key key) throws IOException {
        JarSigner signer = new JarSigner.Builder(key.privateKey(), key.certPath()).build();
        try (ZipFile in = new ZipFile(unsigned.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(in, out);
        }
        return signed;
    }

    /** A signed engine bundle in {@code directory}, named after the bundle. */
    public static Path signedEngine(Path directory, String symbolicName, String version, SigningKeys.Key key) throws IOException {
        Path unsigned = engine(directory.resolve(symbolicName + "-" + version + ".unsigned"), symbolicName, version);
        Path signed = sign(unsigned, directory.resolve(symbolicName + "-" + version + ".jar"), key);
        Files.delete(unsigned);
        return signed;
    }

    /**
     * Copies a jar entry by entry, letting {@code change} replace an entry's content (return
     * null to drop the entry), and appends {@code extra} entries: how an attacker edits a jar.
     */
    public static Path rewrite(Path jar, Path out, BiFunction<String, byte[], byte[]> change, Map<String, String> extra) throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] content = in.getInputStream(entry).readAllBytes();
                byte[] changed = change.apply(entry.getName(), content);
                if (changed == null) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(changed);
                zip.closeEntry();
            }
            for (Map.Entry<String, String> entry : extra.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out;
    }
}
