package org.omamori.proxy;

import org.omamori.http.ArrayPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;
import org.omamori.events.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web proxy: one accept loop per listener, one virtual thread per client connection. Every
 * exchange goes through the pipeline; what the engines say becomes events.
 */
public final class WebProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebProxy.class);

    final ProxySettings settings;
    final Pipeline pipeline;
    final EventFactory events;
    final EventSink sink;
    final OriginPool origins;
    final HeldBody.Budget holdBudget;
    /** Blocks held bodies are copied into, reused: 256 of 16 KiB kept at most (4 MiB). */
    final ArrayPool heldBlocks = new ArrayPool(HeldBody.BLOCK, 256);
    /** Blocks large held bodies are read straight into: 64 of 128 KiB kept at most (8 MiB). */
    final ArrayPool largeHeldBlocks = new ArrayPool(HeldBody.LARGE_BLOCK, 64);
    final Counters counters = new Counters();
    /** Times every connection's reads (docs/web-proxy.md "Slow and greedy clients"). */
    final ReadDeadlines readDeadlines = new ReadDeadlines("proxy-read-deadlines");
    final Destinations destinations;
    private final Semaphore connections;
    /** Connections being served per client address. */
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicLong nextLimitLog = new AtomicLong(Long.MIN_VALUE);
    private final List<ServerSocket> servers = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** What the proxy has done since it started. */
    public static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder blocked = new LongAdder();
        final LongAdder neutralised = new LongAdder();
        final LongAdder malformed = new LongAdder();
        final LongAdder tunnels = new LongAdder();
        final LongAdder refusedConnections = new LongAdder();
        final LongAdder headTimeouts = new LongAdder();
        final LongAdder badOrigins = new LongAdder();
        final LongAdder refusedDestinations = new LongAdder();
        final LongAdder accepted = new LongAdder();
        /** Body and tunnel bytes from clients to origins, and back (heads not counted). */
        final LongAdder bytesUp = new LongAdder();
        final LongAdder bytesDown = new LongAdder();

        /** Client connections accepted (before the limits; refused ones included). */
        public long accepted() {
            return accepted.sum();
        }

        /** Request-body and tunnel bytes sent on to origins. */
        public long bytesUp() {
            return bytesUp.sum();
        }

        /** Response-body and tunnel bytes sent back to clients. */
        public long bytesDown() {
            return bytesDown.sum();
        }

        public long requests() {
            return requests.sum();
        }

        public long blocked() {
            return blocked.sum();
        }

        public long neutralised() {
            return neutralised.sum();
        }

        public long malformed() {
            return malformed.sum();
        }

        public long tunnels() {
            return tunnels.sum();
        }

        /** Connections refused because the proxy or one client address had too many. */
        public long refusedConnections() {
            return refusedConnections.sum();
        }

        /** Responses refused (502) because the origin broke HTTP. */
        public long badOrigins() {
            return badOrigins.sum();
        }

        /** Connections closed because the request head (or ClientHello) was not complete by its deadline. */
        public long headTimeouts() {
            return headTimeouts.sum();
        }

        /** Requests and tunnels refused because they went to the appliance itself or a forbidden network. */
        public long refusedDestinations() {
            return refusedDestinations.sum();
        }
    }

    WebProxy(ProxySettings settings, Pipeline pipeline, EventFactory events, EventSink sink) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.events = events;
        this.sink = sink;
        this.origins = new OriginPool(256, 4096, TimeUnit.SECONDS.toNanos(20));
        this.holdBudget = new HeldBody.Budget(settings.holdBudget());
        this.connections = new Semaphore(settings.maxConnections());
        this.destinations = new Destinations(settings.destinations());
    }

    /** Starts a proxy on the given listeners. */
    static WebProxy start(ProxySettings settings, Pipeline pipeline, EventFactory events, EventSink sink) throws IOException {
        WebProxy proxy = new WebProxy(settings, pipeline, events, sink);
        try {
            for (Listener listener : settings.listeners()) {
                proxy.listen(listener);
            }
        } catch (IOException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    /** How long a listener waits for its port when it is in use. */
    static final java.time.Duration BIND_PATIENCE = java.time.Duration.ofSeconds(3);

    private void listen(Listener listener) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        // A new configuration starts a new proxy while the one before may still be letting go of the port: wait a little.
        long deadline = System.nanoTime() + BIND_PATIENCE.toNanos();
        while (true) {
            try {
                server.bind(listener.address(), 512);
                break;
            } catch (java.net.BindException inUse) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("cannot listen on " + listener.address() + " (" + listener.mode() + "): " + inUse.getMessage(), inUse);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    server.close();
                    throw new java.io.InterruptedIOException("interrupted while waiting for " + listener.address());
                }
            } catch (IOException e) {
                server.close();
                throw new IOException("cannot listen on " + listener.address() + " (" + listener.mode() + "): " + e.getMessage(), e);
            }
        }
        servers.add(server);
        Listener bound = new Listener((InetSocketAddress) server.getLocalSocketAddress(), listener.zone(), listener.mode());
        LOG.info("web proxy listening on {} ({}, zone {})", bound.address(), bound.mode(), bound.zone());
        Thread.ofPlatform().daemon().name("proxy-accept-" + bound.address().getPort()).start(() -> accept(server, bound));
    }

    /** The addresses actually bound (port 0 in the settings becomes a real port). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ServerSocket s : servers) {
            out.add((InetSocketAddress) s.getLocalSocketAddress());
        }
        return out;
    }

    public Counters counters() {
        return counters;
    }

    /** Client connections being served now. */
    public int activeConnections() {
        return settings.maxConnections() - connections.availablePermits();
    }

    private void accept(ServerSocket server, Listener listener) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
                counters.accepted.increment();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("accept on {} failed: {}", listener.address(), e.getMessage());
                continue;
            }
            if (listener.mode() == Listener.Mode.TRANSPARENT_TLS && shedding(client)) {
                closeQuietly(client); // no HTTP to answer 503 in; HTTP listeners answer it per request (ClientSession)
                continue;
            }
            InetAddress from = client.getInetAddress();
            AtomicInteger mine = perClient.computeIfAbsent(from, k -> new AtomicInteger());
            if (mine.incrementAndGet() > settings.maxPerClient()) {
                release(from, mine);
                refuseConnection(client, "client " + from.getHostAddress() + " has " + settings.maxPerClient() + " connections open");
                continue;
            }
            if (!connections.tryAcquire()) {
                release(from, mine);
                refuseConnection(client, "the proxy serves " + settings.maxConnections() + " connections");
                continue;
            }
            threads.execute(() -> {
                try {
                    new ClientSession(this, listener, client).run();
                } finally {
                    connections.release();
                    release(from, mine);
                }
            });
        }
    }

    /** What a 503 answered past the memory budget says (after the page's Japanese). */
    static final String SHED = "the appliance is at its memory budget and refuses new requests for a moment; try again shortly";

    /**
     * True when the appliance sheds load past its memory budget (docs/operations.md "Memory budget"):
     * the refusal is counted and logged (at most every 10 s), the caller refuses the work.
     */
    boolean shedding(Socket client) {
        LoadShedding guard = Shedding.current();
        if (!guard.shedding()) {
            return false;
        }
        guard.refused("proxy");
        logAtMostEvery10s("request from {} refused (503): memory budget, {}", client.getInetAddress().getHostAddress(), guard.reason());
        return true;
    }

    private void release(InetAddress from, AtomicInteger count) {
        if (count.decrementAndGet() == 0) {
            perClient.remove(from, count);
        }
    }

    private void refuseConnection(Socket client, String why) {
        counters.refusedConnections.increment();
        closeQuietly(client);
        logAtMostEvery10s("connection from {} refused: {} ({} refused since start)", client.getInetAddress().getHostAddress(),
                why, counters.refusedConnections.sum());
    }

    /** A client that did not complete its request head (or ClientHello) by the deadline: closed and counted. */
    void headTimedOut(Socket client) {
        counters.headTimeouts.increment();
        logAtMostEvery10s("closed a connection from {}: no complete request head within {} ms ({} since start)",
                client.getInetAddress().getHostAddress(), settings.headTimeout().toMillis(), counters.headTimeouts.sum());
    }

    /** A flood of refused connections must not become a flood of log lines. */
    private void logAtMostEvery10s(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextLimitLog.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextLimitLog.compareAndSet(next, now + 10_000_000_000L)) {
            LOG.warn(format, args);
        }
    }

    /** The facts of a connection from {@code client} to {@code destination}. */
    Connection connection(Listener listener, Socket client, InetAddress destination, int port) {
        InetSocketAddress remote = (InetSocketAddress) client.getRemoteSocketAddress();
        return new Connection(new ZonePair(listener.zone(), settings.serverZone()), remote.getAddress(), remote.getPort(),
                destination, port, Optional.empty());
    }

    /** Puts what the engines said about one inspection into the spool. */
    void publish(InspectionRequest facts, PipelineResult result) {
        publish(events.of(facts, result, false));
    }

    void publish(List<Event> list) {
        if (!list.isEmpty()) {
            sink.publish(list);
        }
    }

    /** A request or tunnel to the appliance itself or a forbidden network: an event and a log line, no connection. */
    void refusedDestination(InspectionRequest facts, InetAddress address, String why) {
        counters.refusedDestinations.increment();
        publish(List.of(events.intake(facts, SecurityFunction.URL_FILTERING, "proxy:forbidden-destination",
                "destination refused by the proxy", Result.BLOCK, Level.MEDIUM, Evidence.RECONNAISSANCE, why + ": " + address.getHostAddress())));
        LOG.info("refused {} -> {} ({}): {}", facts.connection().source().getHostAddress(), facts.host(),
                address.getHostAddress(), why);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    @Override
    public void close() {
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
        threads.shutdownNow();
        origins.close();
        readDeadlines.close();
    }
}
