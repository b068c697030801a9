package org.omamori.engine.av.clamd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final ClamdLimits limits;
    private final Semaphore slots;
    private final Set<StreamScan> openScans = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    public Clamd(ClamdAddress address, ClamdLimits limits) {
        this.address = Objects.requireNonNull(address, "address");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.slots = new Semaphore(limits.maxConnections(), true);
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

    /** Starts one {@code INSTREAM} scan on its own connection. Close or finish it to free the slot. */
    public StreamScan openStream() throws ClamdException {
        ClamdConnection connection = connect();
        boolean handedOver = false;
        try {
            connection.write(limits.scanTimeout().toNanos(), command("INSTREAM"));
            StreamScan[] self = new StreamScan[1];
            StreamScan scan = new StreamScan(address, limits, connection, () -> {
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

    /** Aborts scans still open and refuses new calls. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (StreamScan scan : openScans) {
                scan.close();
            }
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
        try {
            return ClamdConnection.open(address, timeout);
        } catch (ClamdException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private ClamdException closedClient() {
        return new ClamdException(Kind.CLOSED, address, "this client is closed (the engine was stopped)");
    }

    private static ByteBuffer command(String name) {
        return ByteBuffer.wrap(("z" + name + "\0").getBytes(StandardCharsets.US_ASCII));
    }
}
