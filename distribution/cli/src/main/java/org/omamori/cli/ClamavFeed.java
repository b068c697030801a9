package org.omamori.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.omamori.api.text.Printable;

/**
 * ClamAV databases as freshclam leaves them ({@code main.cvd}, {@code daily.cld}, {@code bytecode.cvd}, …)
 * plus the project's own signature files, copied into one folder for an {@code av} package. A
 * {@code .cvd}, {@code .cld} or {@code .cud} is a 512-byte ASCII header
 * {@code ClamAV-VDB:<built>:<version>:<signatures>:<level>:<md5>:<dsig>:<builder>:<time>}
 * padded with spaces, then the body (a tar.gz in a .cvd); the header gives version and signature
 * count, and a .cvd's body must have the MD5 the header names (a cut-off download is refused).
 * clamd checks ClamAV's own digital signature when it loads them.
 */
final class ClamavFeed {

    /** Signature files clamd loads (as scripts/clamd.sh copies them). */
    static final Set<String> PLAIN = Set.of("hdb", "hsb", "hdu", "hsu", "mdb", "msb", "mdu", "msu", "ndb", "ndu", "ldb", "ldu", "cdb",
            "idb", "fp", "sfp", "ign", "ign2", "yar", "yara", "pdb", "gdb", "wdb", "ftm", "crb", "info", "cat", "crt");
    static final Set<String> CONTAINERS = Set.of("cvd", "cld", "cud");
    static final int HEADER = 512;
    private static final String MAGIC = "ClamAV-VDB:";

    /** A database's header, or a plain file's signature count (version 0). */
    record Database(String name, long version, long signatures, String built) {
        String describe() {
            return version > 0 ? name + ": version " + version + ", " + signatures + " signatures (built " + built + ")"
                    : name + ": " + signatures + " signatures";
        }
    }

    record Result(List<Database> databases, List<String> leftOut) {
    }

    private ClamavFeed() {
    }

    /**
     * Copies the databases of {@code freshclam} (only the names in {@code only} when it is not
     * empty; of a .cvd and a .cld of one name, the newer) and the signature files of {@code own} into {@code out}.
     */
    static Result build(Path freshclam, Path own, Set<String> only, Path out) throws IOException {
        Map<String, Path> chosen = new TreeMap<>();
        Map<String, Database> headers = new TreeMap<>();
        List<String> leftOut = new ArrayList<>();
        for (Path f : files(freshclam)) {
            String name = f.getFileName().toString();
            String ext = extension(name);
            if (!CONTAINERS.contains(ext)) {
                leftOut.add(Printable.of(name));
                continue;
            }
            String base = name.substring(0, name.length() - ext.length() - 1);
            if (!only.isEmpty() && !only.contains(base)) {
                leftOut.add(name + " (not in --databases)");
                continue;
            }
            Database d = header(f);
            Database before = headers.get(base);
            if (before == null || d.version() > before.version()) {
                if (before != null) {
                    leftOut.add(before.name() + " (older than " + name + ")");
                }
                headers.put(base, d);
                chosen.put(base, f);
            } else {
                leftOut.add(name + " (not newer than " + before.name() + ")");
            }
        }
        for (String wanted : only) {
            if (!headers.containsKey(wanted)) {
                throw new IOException(freshclam + ": no " + wanted + ".cvd, .cld or .cud");
            }
        }
        List<Database> databases = new ArrayList<>();
        Files.createDirectories(out);
        for (var e : chosen.entrySet()) {
            Files.copy(e.getValue(), out.resolve(e.getValue().getFileName()));
            databases.add(headers.get(e.getKey()));
        }
        for (Path f : files(own)) {
            String name = f.getFileName().toString();
            if (!PLAIN.contains(extension(name))) {
                continue; // the folder's README
            }
            if (Files.exists(out.resolve(name))) {
                throw new IOException(f + ": a database of that name comes from the feed already");
            }
            Files.copy(f, out.resolve(name));
            databases.add(new Database(name, 0, signatures(f), ""));
        }
        if (databases.isEmpty()) {
            throw new IOException(freshclam + " and " + own + " hold no ClamAV database");
        }
        return new Result(databases, leftOut);
    }

    /** What a package folder holds: each file's header or signature count. */
    static List<Database> inventory(Path folder) throws IOException {
        List<Database> all = new ArrayList<>();
        for (Path f : files(folder)) {
            String name = f.getFileName().toString();
            all.add(CONTAINERS.contains(extension(name)) ? header(f) : new Database(name, 0, signatures(f), ""));
        }
        return all;
    }

    /** The header of a .cvd/.cld/.cud; IOException says what is wrong with it. */
    static Database header(Path f) throws IOException {
        String name = f.getFileName().toString();
        long size = Files.size(f);
        if (size <= HEADER) {
            throw new IOException(f + ": shorter than a ClamAV database header (" + HEADER + " bytes) and a body");
        }
        byte[] head = new byte[HEADER];
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] firstBody = new byte[2];
        try (InputStream in = Files.newInputStream(f)) {
            if (in.readNBytes(head, 0, HEADER) != HEADER) {
                throw new IOException(f + ": header cut short");
            }
            byte[] buf = new byte[64 * 1024];
            int n;
            long read = 0;
            while ((n = in.read(buf)) > 0) {
                if (read == 0 && n >= 2) {
                    firstBody[0] = buf[0];
                    firstBody[1] = buf[1];
                }
                md5.update(buf, 0, n);
                read += n;
            }
        }
        for (byte b : head) {
            if (b < 0x20 || b > 0x7e) {
                throw new IOException(f + ": the header holds a byte that is not printable ASCII");
            }
        }
        String text = new String(head, StandardCharsets.US_ASCII).stripTrailing();
        if (!text.startsWith(MAGIC)) {
            throw new IOException(f + ": not a ClamAV database (no '" + MAGIC + "' header)");
        }
        String[] fields = text.split(":", -1);
        if (fields.length < 6 || !fields[2].matches("\\d{1,9}") || !fields[3].matches("\\d{1,10}")) {
            throw new IOException(f + ": malformed ClamAV header (expected ClamAV-VDB:built:version:signatures:level:md5:...)");
        }
        if (extension(name).equals("cvd")) {
            if (!fields[5].matches("[0-9a-fA-F]{32}")) {
                throw new IOException(f + ": the header names no MD5 of the body");
            }
            if (!HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(fields[5])) {
                throw new IOException(f + ": the body's MD5 is not the header's (a cut-off or damaged download)");
            }
            if ((firstBody[0] & 0xff) != 0x1f || (firstBody[1] & 0xff) != 0x8b) {
                throw new IOException(f + ": the body is not gzip-compressed");
            }
        }
        return new Database(name, Long.parseLong(fields[2]), Long.parseLong(fields[3]), Printable.of(fields[1]));
    }

    /** Signatures in a text signature file: its non-empty lines that are not comments. */
    static long signatures(Path f) throws IOException {
        try (var lines = Files.lines(f, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": no such folder");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
