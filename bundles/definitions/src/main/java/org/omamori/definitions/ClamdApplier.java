package org.omamori.definitions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Applies AV definitions: copies the package's signature files into clamd's database folder
 * (each through a temporary name and a rename, so clamd sees the old or the new file, never half
 * of one), removes the files the previous package put there that the new one no longer has, and
 * sends {@code RELOAD} to clamd, which loads the new database beside the old one
 * (ConcurrentDatabaseReload) and keeps the old one if the new one fails to load. Files the
 * appliance did not put there are left alone; the list of its own is {@value #OWN}.
 */
public final class ClamdApplier implements Applier {

    /** The files of the database folder this applier put there, one name a line. */
    public static final String OWN = ".omamori-definitions";

    /** The signature file types clamd reads from its database folder. */
    static final Set<String> EXTENSIONS = Set.of("hdb", "hsb", "hdu", "hsu", "mdb", "msb", "mdu", "msu", "ndb", "ndu",
            "ldb", "ldu", "cdb", "idb", "fp", "sfp", "ign", "ign2", "cvd", "cld", "cud", "yar", "yara", "pdb", "gdb", "wdb",
            "ftm", "crb", "info", "cat", "crt");

    private final Path database;
    private final SocketAddress clamd;
    private final Duration timeout;

    /**
     * @param database clamd's DatabaseDirectory
     * @param clamd    where clamd listens: an {@link InetSocketAddress} (loopback) or a {@link UnixDomainSocketAddress}
     */
    public ClamdApplier(Path database, SocketAddress clamd, Duration timeout) {
        this.database = database;
        this.clamd = clamd;
        this.timeout = timeout;
    }

    @Override
    public void apply(PackageVersion version, Path files) throws IOException {
        List<Path> signatures = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(files)) {
            for (Path p : dir) {
                if (Files.isRegularFile(p) && isSignatureFile(p.getFileName().toString())) {
                    signatures.add(p);
                }
            }
        }
        if (signatures.isEmpty()) {
            throw new IOException("the package holds no ClamAV signature files (.hdb, .ndb, .ldb, ... at the top level)");
        }
        Files.createDirectories(database);
        Set<String> now = new TreeSet<>();
        for (Path p : signatures) {
            String name = p.getFileName().toString();
            Path tmp = database.resolve("." + name + ".tmp");
            Files.copy(p, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, database.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            now.add(name);
        }
        Path own = database.resolve(OWN);
        if (Files.exists(own)) {
            for (String name : Files.readAllLines(own, StandardCharsets.UTF_8)) {
                if (!name.isBlank() && !now.contains(name) && PackagePaths.problem(name).isEmpty() && !name.contains("/")) {
                    Files.deleteIfExists(database.resolve(name));
                }
            }
        }
        Path tmp = database.resolve(OWN + ".tmp");
        Files.write(tmp, now, StandardCharsets.UTF_8);
        Files.move(tmp, own, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        reload();
    }

    /** Sends RELOAD; clamd answers RELOADING and loads in the background. */
    public void reload() throws IOException {
        String reply = command("RELOAD");
        if (!reply.equals("RELOADING")) {
            throw new IOException("clamd answered RELOAD with '" + reply + "' instead of RELOADING");
        }
    }

    /** One NUL-terminated command and clamd's reply, bounded by the timeout. */
    String command(String command) throws IOException {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "definitions-clamd");
            t.setDaemon(true);
            return t;
        });
        SocketChannel channel = clamd instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            Future<String> reply = one.submit(() -> {
                channel.connect(clamd);
                channel.write(ByteBuffer.wrap(("z" + command + "\0").getBytes(StandardCharsets.US_ASCII)));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(256);
                while (out.size() < 4096) {
                    buf.clear();
                    int n = channel.read(buf);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        byte b = buf.get(i);
                        if (b == 0) {
                            return out.toString(StandardCharsets.US_ASCII).strip();
                        }
                        out.write(b);
                    }
                }
                return out.toString(StandardCharsets.US_ASCII).strip();
            });
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("clamd at " + clamd + " did not answer " + command + " within " + timeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("clamd at " + clamd + " not reachable for " + command + ": " + Installer.describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to clamd");
        } finally {
            channel.close();
            one.shutdownNow();
        }
    }

    static boolean isSignatureFile(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
