package org.omamori.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
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
    final Counters counters = new Counters();
    private final Semaphore connections;
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
    }

    WebProxy(ProxySettings settings, Pipeline pipeline, EventFactory events, EventSink sink) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.events = events;
        this.sink = sink;
        this.origins = new OriginPool(256, 4096, TimeUnit.SECONDS.toNanos(20));
        this.holdBudget = new HeldBody.Budget(settings.holdBudget());
        this.connections = new Semaphore(settings.maxConnections());
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

    private void listen(Listener listener) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(listener.address(), 512);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + listener.address() + " (" + listener.mode() + "): " + e.getMessage(), e);
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

    private void accept(ServerSocket server, Listener listener) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("accept on {} failed: {}", listener.address(), e.getMessage());
                continue;
            }
            if (!connections.tryAcquire()) {
                counters.refusedConnections.increment();
                closeQuietly(client);
                continue;
            }
            threads.execute(() -> {
                try {
                    new ClientSession(this, listener, client).run();
                } finally {
                    connections.release();
                }
            });
        }
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
    }
}
