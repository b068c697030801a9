package org.omamori.definitions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.omamori.definitions.Refused.Reason;

/**
 * Checks a {@link SignedPackage} and unpacks it, treating every byte as hostile: size first,
 * then the operator's signature over the exact bytes, then the zip's central directory (entry
 * count, names, no symbolic links or special files, no encryption, declared sizes), then each
 * entry while it is inflated (real sizes counted, so a lying header gains nothing), then the
 * manifest against the files (same set, sizes and SHA-256). Anything wrong is a {@link Refused}.
 *
 * <p>Layout of a package: {@code manifest.json} and the files under {@code files/}; unpacked into
 * a folder as {@code manifest.json} and {@code files/...}.
 */
public final class PackageReader {

    public static final String MANIFEST = "manifest.json";
    public static final String FILES = "files/";

    private static final int EOCD_SIG = 0x06054b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int EOCD_LEN = 22;
    private static final int CEN_LEN = 46;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int UNIX = 3;

    private final java.util.function.Supplier<OperatorKey> key;
    private final PackageLimits limits;

    public PackageReader(OperatorKey key, PackageLimits limits) {
        this(() -> key, limits);
    }

    /** A reader that checks against the key in force at each package (it changes when the key is rotated). */
    public PackageReader(java.util.function.Supplier<OperatorKey> key, PackageLimits limits) {
        this.key = key;
        this.limits = limits;
    }

    /** Only checks the signature (size first): cheap, before anything is parsed. */
    public void verify(SignedPackage pkg) throws Refused {
        if (pkg.bytes().length > limits.maxPackageBytes()) {
            throw new Refused(Reason.TOO_LARGE, "package of " + pkg.bytes().length + " bytes is over the limit of "
                    + limits.maxPackageBytes());
        }
        if (!key.get().verifies(pkg.bytes(), pkg.signature())) {
            throw new Refused(Reason.BAD_SIGNATURE, pkg.signature().length == OperatorKey.SIGNATURE_BYTES
                    ? "the signature is not the operator key's over this package (other signer, or the package was changed)"
                    : "the signature is not a 64-byte Ed25519 signature (" + pkg.signature().length + " bytes)");
        }
    }

    /**
     * Verifies {@code pkg} and unpacks it into {@code folder}, which must not exist yet; on any
     * refusal the caller deletes whatever was written there.
     *
     * @return the manifest, which now agrees with the files in {@code folder/files}
     */
    public Manifest unpack(SignedPackage pkg, Path folder) throws Refused, IOException {
        verify(pkg);
        Set<String> names = centralDirectory(pkg.bytes());
        Files.createDirectory(folder);
        Path files = Files.createDirectory(folder.resolve("files"));
        Map<String, Manifest.File> found = new HashMap<>();
        byte[] manifestBytes = null;
        Set<String> seen = new HashSet<>();
        long unpacked = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(pkg.bytes()), StandardCharsets.UTF_8)) {
            ZipEntry e;
            while ((e = nextEntry(zip)) != null) {
                String name = e.getName();
                if (!names.contains(name) || !seen.add(name)) {
                    throw malformed("zip entry '" + name + "' differs from the central directory or appears twice");
                }
                if (e.isDirectory()) {
                    if (!name.equals(FILES) && !(name.startsWith(FILES) && PackagePaths.problem(name.substring(FILES.length(), name.length() - 1)).isEmpty())) {
                        throw malformed("unexpected folder '" + name + "'");
                    }
                    continue;
                }
                if (name.equals(MANIFEST)) {
                    manifestBytes = readBounded(zip, limits.maxManifestBytes(), "manifest.json");
                    continue;
                }
                if (!name.startsWith(FILES)) {
                    throw malformed("unexpected entry '" + name + "': files belong under files/");
                }
                String path = name.substring(FILES.length());
                String problem = PackagePaths.problem(path).orElse(null);
                if (problem != null) {
                    throw malformed("entry '" + name + "': " + problem);
                }
                Path target = files.resolve(path).normalize();
                if (!target.startsWith(files)) {
                    throw malformed("entry '" + name + "' points outside the package");
                }
                MessageDigest sha = sha256();
                long size = 0;
                try (OutputStream out = create(target, name)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = read(zip, buf)) > 0) {
                        size += n;
                        unpacked += n;
                        if (unpacked > limits.maxUnpackedBytes()) {
                            throw new Refused(Reason.TOO_LARGE, "package unpacks to more than " + limits.maxUnpackedBytes()
                                    + " bytes (at '" + name + "')");
                        }
                        sha.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                found.put(path, new Manifest.File(path, size, Manifest.hex(sha.digest())));
            }
        }
        if (seen.size() != names.size()) {
            throw malformed("the zip's entries differ from its central directory");
        }
        if (manifestBytes == null) {
            throw malformed("no manifest.json in the package");
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(manifestBytes, limits.maxEntries());
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        for (Manifest.File listed : manifest.files()) {
            Manifest.File actual = found.remove(listed.path());
            if (actual == null) {
                throw malformed("manifest lists '" + listed.path() + "' but the package does not hold it");
            }
            if (actual.size() != listed.size() || !actual.sha256().equals(listed.sha256())) {
                throw malformed("file '" + listed.path() + "' does not match the manifest (size " + actual.size()
                        + " vs " + listed.size() + ", SHA-256 " + (actual.sha256().equals(listed.sha256()) ? "same" : "differs") + ")");
            }
        }
        if (!found.isEmpty()) {
            throw malformed("file '" + found.keySet().iterator().next() + "' is not in the manifest");
        }
        Files.write(folder.resolve(MANIFEST), manifestBytes, StandardOpenOption.CREATE_NEW);
        return manifest;
    }

    /** The entry names of the central directory, after checking count, names, types and declared sizes. */
    private Set<String> centralDirectory(byte[] zip) throws Refused {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = zip.length - EOCD_LEN; i >= Math.max(0, zip.length - EOCD_LEN - 0xFFFF); i--) {
            if (b.getInt(i) == EOCD_SIG) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw malformed("not a zip file (no end of central directory)");
        }
        int disk = u16(b, eocd + 4);
        int cdDisk = u16(b, eocd + 6);
        int entriesHere = u16(b, eocd + 8);
        int entries = u16(b, eocd + 10);
        long cdSize = u32(b, eocd + 12);
        long cdOffset = u32(b, eocd + 16);
        if (disk != 0 || cdDisk != 0 || entriesHere != entries) {
            throw malformed("multi-part zip files are not packages");
        }
        if (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw malformed("zip64 is not used by packages");
        }
        if (entries > limits.maxEntries()) {
            throw new Refused(Reason.TOO_LARGE, "package holds " + entries + " entries, more than the limit of " + limits.maxEntries());
        }
        if (cdOffset + cdSize > eocd) {
            throw malformed("zip central directory out of bounds");
        }
        Set<String> names = new HashSet<>();
        long declared = 0;
        int p = (int) cdOffset;
        for (int i = 0; i < entries; i++) {
            if (p + CEN_LEN > eocd || b.getInt(p) != CEN_SIG) {
                throw malformed("zip central directory entry " + i + " is damaged");
            }
            int madeBy = u16(b, p + 4);
            int flags = u16(b, p + 8);
            int method = u16(b, p + 10);
            long size = u32(b, p + 24);
            int nameLen = u16(b, p + 28);
            int extraLen = u16(b, p + 30);
            int commentLen = u16(b, p + 32);
            long external = u32(b, p + 38);
            if (p + CEN_LEN + nameLen > eocd) {
                throw malformed("zip central directory entry " + i + " is damaged");
            }
            String name = utf8(zip, p + CEN_LEN, nameLen);
            if ((flags & 1) != 0) {
                throw malformed("entry '" + name + "' is encrypted");
            }
            if (method != ZipEntry.STORED && method != ZipEntry.DEFLATED) {
                throw malformed("entry '" + name + "' uses compression method " + method + " (only stored and deflated)");
            }
            if ((madeBy >>> 8) == UNIX) {
                int type = (int) (external >>> 16) & S_IFMT;
                if (type != 0 && type != S_IFREG && type != S_IFDIR) {
                    throw malformed("entry '" + name + "' is a symbolic link or special file");
                }
            }
            String bare = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            String problem = PackagePaths.problem(bare).orElse(null);
            if (problem != null) {
                throw malformed("entry '" + name + "': " + problem);
            }
            if (!names.add(name)) {
                throw malformed("entry '" + name + "' appears twice");
            }
            declared += size;
            if (declared > limits.maxUnpackedBytes()) {
                throw new Refused(Reason.TOO_LARGE, "package declares more than " + limits.maxUnpackedBytes() + " unpacked bytes");
            }
            p += CEN_LEN + nameLen + extraLen + commentLen;
        }
        return names;
    }

    /** A new file; a path that clashes with another entry's (a file where a folder must be) is malformed. */
    private static OutputStream create(Path target, String name) throws Refused, IOException {
        try {
            Files.createDirectories(target.getParent());
            return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw malformed("entry '" + name + "' clashes with another entry's path");
        }
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws Refused {
        try {
            return zip.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw malformed("damaged zip: " + e.getMessage());
        }
    }

    private static int read(ZipInputStream zip, byte[] buf) throws Refused {
        try {
            return zip.read(buf);
        } catch (IOException e) {
            throw malformed("damaged zip entry: " + e.getMessage());
        }
    }

    private static byte[] readBounded(InputStream in, int max, String what) throws Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > max) {
                    throw new Refused(Reason.TOO_LARGE, what + " is larger than " + max + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (ZipException e) {
            throw malformed("damaged zip entry " + what + ": " + e.getMessage());
        } catch (IOException e) {
            throw malformed("unreadable " + what + ": " + e.getMessage());
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] b, int off, int len) throws Refused {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("a zip entry name is not valid UTF-8");
        }
    }

    private static int u16(ByteBuffer b, int at) throws Refused {
        if (at < 0 || at + 2 > b.limit()) {
            throw malformed("zip structure out of bounds");
        }
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) throws Refused {
        if (at < 0 || at + 4 > b.limit()) {
            throw malformed("zip structure out of bounds");
        }
        return Integer.toUnsignedLong(b.getInt(at));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Refused malformed(String why) {
        return new Refused(Reason.MALFORMED, why);
    }
}
