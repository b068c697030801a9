package org.omamori.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running DNS filter: a {@link DnsFilter} behind a UDP and a TCP socket per configured
 * listener; queries that wait for the upstream (and TCP connections) are worked on in virtual threads. Start with {@link #start}, stop with {@link #close}.
 */
public final class DnsFilterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsFilterServer.class);

    private final DnsFilter filter;
    private final ExecutorService workers;
    private final List<UdpListener> udp = new ArrayList<>();
    private final List<TcpListener> tcp = new ArrayList<>();

    private final DnsMeters meters;

    private DnsFilterServer(DnsFilter filter, Meters meters) {
        this.filter = filter;
        this.meters = new DnsMeters(meters, filter.counters());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-query-", 0).factory());
    }

    /**
     * Binds every listener and starts answering.
     *
     * @throws IOException naming the address when one cannot be bound (in use, or a port below
     *                     1024 without the right to bind it); nothing stays open then
     */
    public static DnsFilterServer start(DnsFilterSettings settings, Pipeline pipeline, EventFactory events, EventSink sink)
            throws IOException {
        return start(settings, pipeline, events, sink, Meters.shared());
    }

    /** {@link #start(DnsFilterSettings, Pipeline, EventFactory, EventSink)} counting on {@code meters}. */
    public static DnsFilterServer start(DnsFilterSettings settings, Pipeline pipeline, EventFactory events, EventSink sink,
                                        Meters meters) throws IOException {
        DnsFilterServer server = new DnsFilterServer(new DnsFilter(settings, pipeline, events, sink), meters);
        try {
            for (Listener l : settings.listeners()) {
                try {
                    server.listen(l);
                } catch (IOException e) {
                    throw new IOException("cannot listen on " + l + " (" + e.getMessage() + ")", e);
                }
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("DNS filter listening on {} (UDP and TCP), forwarding to {}, blocked names answered by {}",
                settings.listeners(), settings.upstreams(), settings.blockMode());
        return server;
    }

    /** Tries for port 0: the port UDP is given may be taken for TCP (by another socket's ephemeral port). */
    private static final int FREE_PORT_ATTEMPTS = 20;

    /**
     * UDP and TCP on one address. Port 0: TCP takes the port UDP was given, so one address serves
     * both; if that port is taken for TCP, both try another.
     */
    private void listen(Listener l) throws IOException {
        for (int attempt = 1; ; attempt++) {
            UdpListener u = new UdpListener(l, filter, workers);
            Listener same = new Listener(l.zone(), new InetSocketAddress(l.address().getAddress(), u.address().getPort()));
            try {
                TcpListener t = new TcpListener(same, filter, workers);
                udp.add(u);
                tcp.add(t);
                return;
            } catch (java.net.BindException e) {
                u.close();
                if (l.address().getPort() != 0 || attempt == FREE_PORT_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                u.close();
                throw e;
            }
        }
    }

    public DnsFilter filter() {
        return filter;
    }

    public DnsStats stats() {
        return filter.stats();
    }

    /** The bound UDP addresses, in the order of the listeners (useful when port 0 was asked). */
    public List<InetSocketAddress> udpAddresses() throws IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (UdpListener u : udp) {
            out.add(u.address());
        }
        return out;
    }

    /** Answers the UDP listeners' reply threads sent (forwards' answers). */
    long offThreadReplies() {
        return udp.stream().mapToLong(UdpListener::offThreadReplies).sum();
    }

    /** Whether every UDP listener takes its datagrams in batches (recvmmsg/sendmmsg). */
    boolean udpBatched() {
        return !udp.isEmpty() && udp.stream().allMatch(UdpListener::batched);
    }

    /** The UDP listeners' batches received on the batched path and the datagrams in them. */
    long[] udpBatches() {
        long[] sum = new long[2];
        for (UdpListener u : udp) {
            long[] b = u.batches();
            sum[0] += b[0];
            sum[1] += b[1];
        }
        return sum;
    }

    /** The bound TCP addresses, in the order of the listeners. */
    public List<InetSocketAddress> tcpAddresses() {
        return tcp.stream().map(TcpListener::address).toList();
    }

    @Override
    public void close() {
        meters.close();
        for (UdpListener u : udp) {
            u.close();
        }
        for (TcpListener t : tcp) {
            t.close();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        filter.close();
    }
}
