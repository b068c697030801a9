package org.omamori.definitions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes and signs packages (the cloud, the demo and {@link MakeDefinitions}): every regular file
 * under a source folder goes under {@code files/} in name order with fixed timestamps, so the
 * same folder, version and creation time always make the same bytes. Symbolic links and paths
 * the reader would refuse are refused here first.
 */
public final class PackageWriter {

    /** The zip epoch, as a local date-time so the bytes do not depend on the maker's time zone. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private PackageWriter() {
    }

    /** The zip bytes of a package of the files under {@code source}. */
    public static byte[] pack(Kind kind, PackageVersion version, Instant created, Path source) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    continue;
                }
                String path = source.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (!a.isRegularFile()) {
                    throw new IOException(p + ": not a regular file (symbolic links and special files cannot go into a package)");
                }
                String problem = PackagePaths.problem(path).orElse(null);
                if (problem != null) {
                    throw new IOException(p + ": " + problem);
                }
                files.put(path, p);
            }
        }
        List<Manifest.File> listed = new ArrayList<>();
        for (var e : files.entrySet()) {
            MessageDigest sha = PackageReader.sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(e.getValue())) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    size += n;
                }
            }
            listed.add(new Manifest.File(e.getKey(), size, Manifest.hex(sha.digest())));
        }
        Manifest manifest = new Manifest(kind, version, created, listed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, PackageReader.MANIFEST, manifest.toJson());
            for (var e : files.entrySet()) {
                ZipEntry entry = entry(PackageReader.FILES + e.getKey());
                zip.putNextEntry(entry);
                Files.copy(e.getValue(), zip);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Zip bytes with the given entries exactly (name to content), for tests of hostile packages. */
    public static byte[] zip(List<java.util.Map.Entry<String, byte[]>> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries) {
                put(zip, e.getKey(), e.getValue());
            }
        }
        return out.toByteArray();
    }

    /** The Ed25519 signature of {@code bytes} with {@code key}. */
    public static byte[] sign(byte[] bytes, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(Pem.ALGORITHM);
            s.initSign(key);
            s.update(bytes);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (" + e.getMessage() + "): an Ed25519 private key is needed", e);
        }
    }

    /** Packs and signs. */
    public static SignedPackage make(Kind kind, PackageVersion version, Instant created, Path source, PrivateKey key) throws IOException {
        byte[] bytes = pack(kind, version, created, source);
        return new SignedPackage(bytes, sign(bytes, key));
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(entry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static ZipEntry entry(String name) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(FIXED_TIME);
        return entry;
    }
}
