package org.omamori.engine.av.clamd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.omamori.engine.av.clamd.ClamdException.Kind;

/**
 * A client for one clamd. Thread-safe; holds no connection between calls, so a clamd restart
 * needs nothing from the caller: the next call simply connects again. At most
 * {@link ClamdLimits#maxConnections()} connections are open at once; a call that cannot get a
 * slot within the connect timeout fails with {@link Kind#BUSY}.
 */
public final class Clamd implements AutoCloseable {

    private final ClamdAddress address;
    /** The local socket or TCP, for an address with a fallback; null otherwise. */
    private final SocketOrTcp route;
    private final ClamdLimits limits;
    private final Semaphore slots;
    private final Set<StreamScan> openScans = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Why bodies go by INSTREAM, or null while they go by FILDES; set once clamd refuses FILDES. */
    private volatile String instreamBecause;
    /** Where a virtual thread's FILDES exchange blocks instead of pinning its carrier; threads made as needed. */
    private final ExecutorService fildesThreads = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("clamd-fildes-", 0).daemon().factory());

    public Clamd(ClamdAddress address, ClamdLimits limits) {
        this(address, limits, !"false".equals(System.getProperty(FILDES_SWITCH)));
    }

    /** With {@code fildes} false, always INSTREAM (tests of the fallback compare both paths). */
    Clamd(ClamdAddress address, ClamdLimits limits, boolean fildes) {
        this.address = Objects.requireNonNull(address, "address");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.slots = new Semaphore(limits.maxConnections(), true);
        this.route = address.fallback() == null ? null : new SocketOrTcp(address, SOCKET_RETRY.toNanos(), System::nanoTime);
        this.instreamBecause = !fildes ? "switched off (-D" + FILDES_SWITCH + "=false)"
                : !address.isLocalSocket() ? "clamd is reached by TCP, and descriptors pass only over its local socket"
                : LINKING;
        if (route != null && !java.nio.file.Files.exists(route.socket().socketPath().getPath())) {
            route.failed("no such file"); // said in the line below, not as a change
        }
        if (instreamBecause == LINKING) {
            // Linking the foreign-function calls of FILDES makes method handles and classes: 50-100 ms of one
            // core in a start. Done beside the caller (the appliance's start-level thread), not on it; the
            // first scan, or transport(), waits for it if it is not done yet.
            Thread.ofPlatform().name("clamd-fildes-link").daemon().start(() -> {
                settleFildes();
                LOG.log(System.Logger.Level.INFO, "clamd at " + address + ": " + transport());
            });
        } else {
            LOG.log(System.Logger.Level.INFO, "clamd at " + address + ": " + transport());
        }
    }

    /** {@link #instreamBecause} until the FILDES calls are linked (or found unavailable): compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String LINKING = new String("linking FILDES");
    private static final java.lang.invoke.VarHandle INSTREAM_BECAUSE;

    static {
        try {
            INSTREAM_BECAUSE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Clamd.class, "instreamBecause", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Why bodies go by INSTREAM (null: by FILDES), once the FILDES calls are linked: waits for that. */
    private String instreamBecause() {
        String why = instreamBecause;
        return why == LINKING ? settleFildes() : why;
    }

    private String settleFildes() {
        String found = DescriptorPassing.Loaded.UNAVAILABLE; // a second thread here waits for the first's class initialisation
        INSTREAM_BECAUSE.compareAndSet(this, LINKING, found);
        return instreamBecause;
    }

    /**
     * How long a local socket that did not connect is left alone before the next connection tries
     * it again (with a TCP fallback, {@link ClamdAddress#localSocketOr}).
     */
    public static final java.time.Duration SOCKET_RETRY = java.time.Duration.ofSeconds(2);

    /** The system property that turns FILDES off ({@code -Domamori.av.fildes=false}). */
    public static final String FILDES_SWITCH = "omamori.av.fildes";

    private static final System.Logger LOG = System.getLogger(Clamd.class.getName());

    /** How bodies reach clamd now, and why: {@code "FILDES ..."} or {@code "INSTREAM ..."}. */
    public String transport() {
        String why = instreamBecause();
        String down = route == null ? null : route.down();
        String path = route == null ? ""
                : down == null ? ", over the local socket " + route.socket()
                : ", over TCP " + route.tcp() + " because the local socket " + route.socket() + " did not connect (" + down
                        + "; tried again every " + SOCKET_RETRY.toSeconds() + " s)";
        if (why == null && down == null) {
            return "FILDES (bodies held in sealed memory files that clamd reads itself)" + path;
        }
        return "INSTREAM (bodies streamed; FILDES not used: "
                + (why != null ? why : "descriptors pass only over the local socket") + ")" + path;
    }

    /** The local socket did not connect: TCP for {@link #SOCKET_RETRY}; said once per change of path. */
    void socketFailed(String why) {
        if (route.failed(why)) {
            LOG.log(System.Logger.Level.WARNING, "clamd at " + address + ": " + transport());
        }
    }

    /** The local socket connected: said when that ends a time on TCP. */
    void socketWorked() {
        if (route != null && route.worked()) {
            LOG.log(System.Logger.Level.INFO, "clamd at " + address + ": " + transport());
        }
    }

    /** Whether a local socket that does not connect is replaced by TCP. */
    boolean fallsBack() {
        return route != null;
    }

    /** clamd would not take FILDES: every later body goes by INSTREAM, said once. */
    void refuseFildes(String why) {
        if (instreamBecause() == null) {
            instreamBecause = why;
            LOG.log(System.Logger.Level.WARNING, "clamd at " + address + ": " + transport());
        }
    }

    public ClamdAddress address() {
        return address;
    }

    public ClamdLimits limits() {
        return limits;
    }

    /** Connections open right now (scans and commands). */
    public int connectionsInUse() {
        return limits.maxConnections() - slots.availablePermits();
    }

    /** {@code PING}: returns {@code "PONG"} when clamd is up and serving. */
    public String ping() throws ClamdException {
        return expect("PING", reply -> reply.equals("PONG"));
    }

    /** {@code VERSION}: e.g. {@code "ClamAV 1.4.6"} (with {@code /<db version>/<date>} when an official database is loaded). */
    public String version() throws ClamdException {
        return expect("VERSION", reply -> reply.startsWith("ClamAV "));
    }

    /**
     * {@code RELOAD}: clamd re-reads its signature database; returns once clamd says
     * {@code RELOADING}. Scans keep running on the old database meanwhile
     * (ConcurrentDatabaseReload).
     */
    public void reload() throws ClamdException {
        expect("RELOAD", reply -> reply.equals("RELOADING"));
    }

    /**
     * Starts one scan: an {@code INSTREAM} on its own connection, or, over the local socket, a
     * body held for {@code FILDES} (the slot is taken now all the same, so held bodies are bounded
     * like connections). Close or finish it to free the slot.
     */
    public StreamScan openStream() throws ClamdException {
        ClamdAddress target = route == null ? address : route.next();
        if (target.isLocalSocket() && instreamBecause() == null) {
            return openHeld(target);
        }
        ClamdConnection connection = connect();
        boolean handedOver = false;
        try {
            connection.write(limits.scanTimeout().toNanos(), command("INSTREAM"));
            StreamScan[] self = new StreamScan[1];
            StreamScan scan = new StreamScan(connection.address(), limits, connection, null, () -> {
                openScans.remove(self[0]);
                slots.release();
            });
            self[0] = scan;
            openScans.add(scan);
            handedOver = true;
            if (closed.get()) {
                scan.close(); // lost a race with close(): do not leak the scan
                throw closedClient();
            }
            return scan;
        } finally {
            if (!handedOver) {
                connection.close();
                slots.release();
            }
        }
    }

    private StreamScan openHeld(ClamdAddress socket) throws ClamdException {
        acquireSlot();
        DescriptorPassing.Held held = null;
        try {
            held = DescriptorPassing.Loaded.INSTANCE.hold();
            StreamScan[] self = new StreamScan[1];
            StreamScan scan = new StreamScan(socket, limits, null, new StreamScan.Fildes(held, this), () -> {
                openScans.remove(self[0]);
                slots.release();
            });
            self[0] = scan;
            openScans.add(scan);
            held = null;
            if (closed.get()) {
                scan.close();
                throw closedClient();
            }
            return scan;
        } catch (java.io.IOException e) {
            throw new ClamdException(Kind.BUSY, address, "cannot hold a body for clamd: " + e.getMessage(), e);
        } finally {
            if (held != null) {
                held.close();
                slots.release();
            }
        }
    }

    /** Runs a blocking FILDES exchange on a platform thread when the caller is virtual (see {@link StreamScan}). */
    ExecutorService fildesThreads() {
        return fildesThreads;
    }

    /** Aborts scans still open and refuses new calls. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (StreamScan scan : openScans) {
                scan.close();
            }
            fildesThreads.shutdown();
        }
    }

    private interface ReplyCheck {
        boolean accepts(String reply);
    }

    private String expect(String command, ReplyCheck check) throws ClamdException {
        ClamdConnection opened = connect(); // holds a slot from here on
        try (ClamdConnection connection = opened) {
            long timeout = limits.scanTimeout().toNanos();
            connection.write(timeout, command(command));
            String reply = connection.readReply(System.nanoTime() + timeout, command);
            if (!check.accepts(reply)) {
                throw new ClamdException(Kind.PROTOCOL, address, "unexpected answer to " + command + ": '"
                        + (reply.length() > 200 ? reply.substring(0, 200) + "..." : reply) + "'");
            }
            return reply;
        } finally {
            slots.release();
        }
    }

    /** Takes a slot, then connects; on failure the slot is given back. */
    private ClamdConnection connect() throws ClamdException {
        acquireSlot();
        try {
            return open();
        } catch (ClamdException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** A new connection, on the local socket or, when it does not connect and there is a fallback, by TCP; no slot taken. */
    ClamdConnection open() throws ClamdException {
        long timeout = limits.connectTimeout().toNanos();
        if (route == null) {
            return ClamdConnection.open(address, timeout);
        }
        ClamdAddress target = route.next();
        if (target.isLocalSocket()) {
            try {
                ClamdConnection connection = ClamdConnection.open(target, timeout);
                socketWorked();
                return connection;
            } catch (ClamdException e) {
                if (e.kind() != Kind.UNREACHABLE) {
                    throw e;
                }
                socketFailed(e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : e.getMessage());
            }
        }
        return ClamdConnection.open(route.tcp(), timeout);
    }

    private void acquireSlot() throws ClamdException {
        if (closed.get()) {
            throw closedClient();
        }
        long timeout = limits.connectTimeout().toNanos();
        try {
            if (!slots.tryAcquire(timeout, TimeUnit.NANOSECONDS)) {
                throw new ClamdException(Kind.BUSY, address, "all " + limits.maxConnections() + " connections busy for "
                        + limits.connectTimeout().toMillis() + " ms; too many scans at once for this clamd"
                        + " (raise maxConnections and clamd's MaxThreads together, or shed load)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClamdException(Kind.CLOSED, address, "interrupted while waiting for a connection slot", e);
        }
    }

    private ClamdException closedClient() {
        return new ClamdException(Kind.CLOSED, address, "this client is closed (the engine was stopped)");
    }

    static ByteBuffer command(String name) {
        return ByteBuffer.wrap(("z" + name + "\0").getBytes(StandardCharsets.US_ASCII));
    }
}
