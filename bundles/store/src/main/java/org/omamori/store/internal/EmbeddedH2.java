package org.omamori.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded H2 file database kept to its owner. AUTO_SERVER lets the operator's commands open the
 * database beside a running node: H2 then runs a TCP server (which accepts other hosts) and writes
 * its address and key to {@code <name>.lock.db}. So the server binds to loopback only (H2 reads
 * {@code h2.bindAddress} once, when its first class loads), and the folder is the runtime user's
 * alone (700, files 600) so that no other local user reads the key or the tables.
 */
public final class EmbeddedH2 {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedH2.class);

    /** H2's system property for the address its servers bind to (org.h2.engine.SysProperties.BIND_ADDRESS). */
    public static final String BIND_ADDRESS = "h2.bindAddress";
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private EmbeddedH2() {
    }

    /** Loopback for H2's servers unless the JVM was given another address; call before H2 loads. */
    public static void loopbackByDefault() {
        if (System.getProperty(BIND_ADDRESS) == null) {
            System.setProperty(BIND_ADDRESS, "127.0.0.1");
        }
    }

    /** Whether the URL starts H2's AUTO_SERVER. */
    public static boolean autoServer(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && jdbcUrl.toUpperCase(Locale.ROOT).replace(" ", "").contains(";AUTO_SERVER=TRUE");
    }

    /** The database file's path without suffix, for {@code jdbc:h2:file:PATH[;…]}. */
    public static Optional<Path> file(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:h2:file:".length());
        int options = rest.indexOf(';');
        return Optional.of(Path.of(options < 0 ? rest : rest.substring(0, options)).toAbsolutePath());
    }

    /**
     * Before the pool opens: the folder made owner-only (a new one always; an existing one when
     * AUTO_SERVER will write its key there), and H2's server bound to loopback, or the open refused.
     */
    public static void beforeOpen(String jdbcUrl) {
        boolean server = autoServer(jdbcUrl);
        Optional<Path> file = file(jdbcUrl);
        if (file.isPresent()) {
            Path folder = file.get().getParent();
            try {
                if (!Files.isDirectory(folder)) {
                    Files.createDirectories(folder);
                    restrict(folder, OWNER_DIR);
                } else if (server) {
                    restrictOrWarn(folder, OWNER_DIR);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the database folder " + folder + " owner-only", e);
            }
        }
        if (server) {
            loopbackByDefault();
            String bound = org.h2.engine.SysProperties.BIND_ADDRESS; // read once by H2, when it first loaded
            if (bound == null || bound.isBlank()) {
                throw new IllegalStateException("H2 was loaded before the store set " + BIND_ADDRESS
                        + ", so AUTO_SERVER would listen on every interface: start the JVM with -D" + BIND_ADDRESS + "=127.0.0.1");
            }
            if (!loopback(bound)) {
                LOG.warn("H2's AUTO_SERVER listens on {} ({} was set for this JVM): other hosts may reach the database", bound, BIND_ADDRESS);
            }
        }
    }

    /** After the pool opened: the database's files ({@code <name>.*}) made owner-only. */
    public static void afterOpen(String jdbcUrl) {
        Optional<Path> file = file(jdbcUrl);
        if (file.isEmpty()) {
            return;
        }
        Path folder = file.get().getParent();
        String prefix = file.get().getFileName() + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : files) {
                if (Files.isRegularFile(p)) {
                    restrictOrWarn(p, OWNER_FILE);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the database files in {} to make them owner-only: {}", folder, e.toString());
        }
    }

    /** An existing path may be another user's (an operator's command beside the node): said, not fatal. */
    private static void restrictOrWarn(Path path, Set<PosixFilePermission> permissions) {
        try {
            restrict(path, permissions);
        } catch (IOException e) {
            LOG.warn("cannot make {} owner-only ({}): other local users may read the database", path, e.toString());
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
