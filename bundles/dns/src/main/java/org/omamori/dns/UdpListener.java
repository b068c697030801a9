package org.omamori.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket: a few platform threads (one per core, at most {@value #MAX_RECEIVERS}) each
 * receive, admit and answer; block answers and cached answers are given on that thread, and only
 * a query that must wait for the upstream goes to a virtual thread. Answers go out on the same
 * socket. No hand-off per query: a new virtual thread per query cost more than the answer
 * (and each came with empty thread-local buffers, so the list lookup and the event encoding
 * allocated theirs again per query).
 */
final class UdpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    /** Larger datagrams are cut to this and then fail to parse: FORMERR. */
    private static final int MAX_QUERY = 4096;
    static final int MAX_RECEIVERS = 4;

    private final Listener listener;
    private final DatagramChannel channel;
    private final DnsFilter filter;
    private final ExecutorService workers;
    private final java.util.List<Thread> receivers = new java.util.ArrayList<>();

    UdpListener(Listener listener, DnsFilter filter, ExecutorService workers) throws IOException {
        this.listener = listener;
        this.filter = filter;
        this.workers = workers;
        this.channel = DatagramChannel.open(listener.address().getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(listener.address());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        int n = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_RECEIVERS);
        for (int i = 0; i < n; i++) {
            receivers.add(Thread.ofPlatform().daemon().name("dns-udp-" + listener + "-" + i).start(this::receive));
        }
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_QUERY);
        while (channel.isOpen()) {
            InetSocketAddress from;
            try {
                buf.clear();
                from = (InetSocketAddress) channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (java.net.PortUnreachableException e) {
                continue; // an earlier answer went to a client that had gone: nothing to do
            } catch (IOException | RuntimeException e) {
                LOG.warn("DNS UDP receive on {} failed: {}", listener, e.toString());
                continue;
            }
            buf.flip();
            byte[] packet = new byte[buf.remaining()];
            buf.get(packet);
            Client client = new Client(listener.zone(), from.getAddress(), from.getPort(), Transport.UDP);
            DnsFilter.Replies out = answer -> channel.send(ByteBuffer.wrap(answer), from);
            ClientLimits.Ticket ticket = filter.admit(packet, client, out);
            if (ticket == null) {
                continue;
            }
            try {
                filter.handle(packet, client, out, ticket, workers);
            } catch (RuntimeException e) {
                LOG.warn("DNS query in zone {} not answered: {}", listener.zone(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", listener, e.toString());
        }
        try {
            for (Thread t : receivers) {
                t.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
