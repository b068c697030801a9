package org.omamori.hyperscan;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Compiled databases kept in a folder across restarts: {@link #compile} gives what
 * {@link Database#compile} gives, but loads the database Hyperscan serialized for the very same
 * expressions and mode last time ({@code hs_deserialize_database}, a copy: milliseconds) instead of
 * compiling them again (tens to hundreds of milliseconds for a few dozen rules, seconds for a
 * large rule set).
 *
 * <p>A file is named by a SHA-256 of everything the compile depends on: each expression (id,
 * pattern, flags, offset bounds) in order, the mode, Hyperscan's version and the CPU (its
 * architecture and feature flags, as a database compiled for one CPU may run slower or not at
 * all on another). Whatever does not fit is not used and compiled again: a missing, truncated or
 * altered file (its header repeats the key and holds a SHA-256 of the bytes), one larger than
 * {@link #MAX_FILE_BYTES}, one Hyperscan does not take for a database of its own version and that
 * mode ({@code hs_serialized_database_info}, {@code hs_serialized_database_size} bounded, then its
 * own header, platform and checksum checks at {@code hs_deserialize_database}). The file is then
 * written again, to a temporary file moved into place, so a reader sees a whole file or none.
 *
 * <p>Hyperscan trusts a database's bytecode once those checks pass, as the JVM trusts the
 * class-data archive beside it in {@code state/}: the folder is made owner-only, and a folder or
 * file that someone else owns, or that others may write, is not used (a file there is then
 * neither read nor written). A compile that fails is never written: a rule that does not compile
 * fails as it did without the cache. Failing to write (a full or read-only disk) costs only the
 * next start's compile. At most {@link #KEEP} files stay, the least recently used go.
 *
 * <p>Thread-safe; two processes sharing a folder at worst compile the same set twice.
 */
public final class DatabaseCache {

    /** The largest file read back: a database this large would take seconds to compile anyway. */
    public static final long MAX_FILE_BYTES = 512L << 20;
    /** Files kept: the databases of a few rule sets (a set makes one per stream side and header buffer). */
    public static final int KEEP = 64;

    static final String SUFFIX = ".hsdb";
    private static final byte[] MAGIC = "OMHSDB\0\1".getBytes(UTF_8);
    /** Magic, key (32), expression count (4), payload length (8), payload SHA-256 (32). */
    private static final int HEADER = MAGIC.length + 32 + 4 + 8 + 32;
    private static final System.Logger LOG = System.getLogger(DatabaseCache.class.getName());

    private final Path folder;
    private final AtomicInteger loaded = new AtomicInteger();
    private final AtomicInteger compiled = new AtomicInteger();

    /** A cache in this folder, made (owner-only) at the first write. */
    public DatabaseCache(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath();
    }

    public Path folder() {
        return folder;
    }

    /** Databases loaded from the folder so far. */
    public int loaded() {
        return loaded.get();
    }

    /** Databases compiled so far (not found in the folder, or found unusable). */
    public int compiled() {
        return compiled.get();
    }

    /**
     * {@link Database#compile}, through the folder.
     *
     * @throws CompileException as {@link Database#compile} does; nothing is written then
     */
    public Database compile(List<Expression> expressions, ScanMode mode) throws CompileException {
        Objects.requireNonNull(mode, "mode");
        if (expressions.isEmpty()) {
            throw new IllegalArgumentException("a database needs at least one expression");
        }
        String version = Hyperscan.Native.ensureLoaded();
        byte[] key = key(expressions, mode, version, Cpu.FEATURES);
        Path file = folder.resolve(HexFormat.of().formatHex(key, 0, 16) + SUFFIX);
        boolean usable = folderUsable();
        if (usable) {
            Database db = load(file, key, mode, expressions.size());
            if (db != null) {
                loaded.incrementAndGet();
                return db;
            }
        }
        Database db = Database.compile(expressions, mode);
        compiled.incrementAndGet();
        if (usable) {
            store(file, key, db);
        }
        return db;
    }

    /** The database in {@code file} if it is the one for this key and passes every check; null (and said why) otherwise. */
    Database load(Path file, byte[] key, ScanMode mode, int expressionCount) {
        byte[] content;
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String refused = !a.isRegularFile() ? "not a regular file"
                    : !ownedByUs(a) ? "owned by " + a.owner().getName()
                    : a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                            ? "writable by others (" + PosixFilePermissions.toString(a.permissions()) + ")"
                    : a.size() < HEADER || a.size() > MAX_FILE_BYTES + HEADER ? "of " + a.size() + " bytes"
                    : null;
            if (refused != null) {
                return discard(file, refused);
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "Hyperscan database cache: cannot read " + file + " (" + e + "); compiling");
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(content);
        byte[] magic = new byte[MAGIC.length];
        byte[] fileKey = new byte[32];
        byte[] digest = new byte[32];
        if (content.length < HEADER) {
            return discard(file, "truncated");
        }
        b.get(magic).get(fileKey);
        int count = b.getInt();
        long length = b.getLong();
        b.get(digest);
        if (!Arrays.equals(magic, MAGIC)) {
            return discard(file, "not a database file of this format");
        }
        if (!MessageDigest.isEqual(fileKey, key) || count != expressionCount) {
            return discard(file, "written for other expressions");
        }
        if (length != content.length - HEADER) {
            return discard(file, "truncated or extended");
        }
        byte[] payload = Arrays.copyOfRange(content, HEADER, content.length);
        if (!MessageDigest.isEqual(digest, sha256().digest(payload))) {
            return discard(file, "altered (its digest differs)");
        }
        try {
            // Hyperscan's loaded database is its serialized bytes plus a header and alignment.
            Database db = Database.deserialize(payload, mode, expressionCount, 2L * payload.length + (1 << 20));
            try {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // recently used
            } catch (IOException ignored) {
                // only the order of eviction
            }
            return db;
        } catch (HyperscanException e) {
            return discard(file, e.getMessage());
        }
    }

    private Database discard(Path file, String why) {
        LOG.log(System.Logger.Level.WARNING, "Hyperscan database cache: " + file + " not used (" + why + "); compiling");
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // written over by the next store, or refused again
        }
        return null;
    }

    /** Writes the database beside its final name and moves it there; failures are said and otherwise ignored. */
    void store(Path file, byte[] key, Database db) {
        Path temporary = null;
        try {
            byte[] payload = db.serialize();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            header.put(MAGIC).put(key).putInt(db.expressionCount()).putLong(payload.length).put(sha256().digest(payload));
            temporary = Files.createTempFile(folder, "hsdb-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try (var out = Files.newOutputStream(temporary)) {
                out.write(header.array());
                out.write(payload);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
            evict(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Hyperscan database cache: cannot write " + file + " (" + e
                    + "); the next start compiles again");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a stray temporary file, evicted later
                }
            }
        }
    }

    /** Keeps the {@link #KEEP} most recently used files (and {@code kept}); leftover temporary files go. */
    private void evict(Path kept) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) || p.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
        long now = System.currentTimeMillis();
        List<Path> byUse = files.stream().filter(p -> !p.equals(kept)).sorted(Comparator.comparingLong(DatabaseCache::modified).reversed())
                .toList();
        int keep = KEEP - 1;
        for (Path p : byUse) {
            boolean stale = p.getFileName().toString().endsWith(".tmp") && now - modified(p) > 3_600_000;
            if (stale || (p.getFileName().toString().endsWith(SUFFIX) && keep-- <= 0)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    /** Makes the folder owner-only if it is missing; false (said once per call) if it is someone else's or others may write it. */
    private boolean folderUsable() {
        try {
            Files.createDirectories(folder.getParent());
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            } catch (FileAlreadyExistsException exists) {
                // checked below
            }
            PosixFileAttributes a = Files.getFileAttributeView(folder, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            String refused = !a.isDirectory() ? "not a folder"
                    : !ownedByUs(a) ? "owned by " + a.owner().getName()
                    : a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                            ? "writable by others (" + PosixFilePermissions.toString(a.permissions()) + ")"
                    : null;
            if (refused != null) {
                LOG.log(System.Logger.Level.WARNING, "Hyperscan database cache: " + folder + " not used (" + refused + "); compiling");
                return false;
            }
            return true;
        } catch (IOException | UnsupportedOperationException | NullPointerException e) {
            LOG.log(System.Logger.Level.WARNING, "Hyperscan database cache: cannot use " + folder + " (" + e + "); compiling");
            return false;
        }
    }

    private boolean ownedByUs(PosixFileAttributes a) throws IOException {
        // The owner of a file this process makes: the folder's owner must be that user.
        return a.owner().equals(Cpu.self(folder.getParent()));
    }

    /** What the compile of these expressions depends on, as a SHA-256. */
    static byte[] key(List<Expression> expressions, ScanMode mode, String version, String cpu) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * expressions.size() + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("omamori hyperscan database 1");
            out.writeUTF(version);
            out.writeUTF(cpu);
            out.writeUTF(mode.name());
            out.writeInt(expressions.size());
            for (Expression e : expressions) {
                out.writeInt(e.id());
                out.writeInt(e.nativeFlags());
                out.writeLong(e.minOffset());
                out.writeLong(e.maxOffset());
                byte[] pattern = e.pattern().getBytes(UTF_8);
                out.writeInt(pattern.length);
                out.write(pattern);
            }
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return sha256().digest(bytes.toByteArray());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The machine a database is compiled for, and the user this process writes files as. */
    static final class Cpu {

        /** The architecture and the CPU's feature flags ({@code /proc/cpuinfo}), as far as they can be read. */
        static final String FEATURES = features();

        private static volatile java.nio.file.attribute.UserPrincipal self;

        private static String features() {
            StringBuilder s = new StringBuilder(System.getProperty("os.arch", "?"));
            try {
                java.util.TreeSet<String> lines = new java.util.TreeSet<>();
                for (String l : Files.readString(Path.of("/proc/cpuinfo"), java.nio.charset.StandardCharsets.ISO_8859_1).split("\n")) {
                    if (l.startsWith("flags") || l.startsWith("Features") || l.startsWith("model name")) {
                        lines.add(l.strip());
                    }
                }
                lines.forEach(l -> s.append('\n').append(l));
            } catch (IOException | RuntimeException e) {
                s.append("\n(no /proc/cpuinfo)");
            }
            return s.toString();
        }

        /** The owner of a file this process creates: its effective user (Linux), else found once by creating a file. */
        static java.nio.file.attribute.UserPrincipal self(Path near) throws IOException {
            java.nio.file.attribute.UserPrincipal u = self;
            if (u == null) {
                u = effectiveUser(near);
                self = u;
            }
            return u;
        }

        private static java.nio.file.attribute.UserPrincipal effectiveUser(Path near) throws IOException {
            try {
                for (String line : Files.readString(Path.of("/proc/self/status")).split("\n")) {
                    if (line.startsWith("Uid:")) {
                        String effective = line.substring(4).trim().split("\\s+")[1];
                        Object ownerOfNear = Files.getAttribute(near, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                        if (effective.equals(String.valueOf(ownerOfNear))) {
                            return Files.getOwner(near, LinkOption.NOFOLLOW_LINKS);
                        }
                        break; // the home is another user's: find ours the long way
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or no unix view: the long way
            }
            Path probe = Files.createTempFile(near, ".owner-", ".tmp");
            try {
                return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
        }

        private Cpu() {
        }
    }
}
