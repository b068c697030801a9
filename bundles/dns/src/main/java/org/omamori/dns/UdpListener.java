package org.omamori.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP address: a few platform threads (one per core, at most {@value #MAX_RECEIVERS}), each
 * with its own socket on that address (SO_REUSEPORT), receive, admit and answer; block answers and cached answers are given on that thread, and only
 * a query that must wait for the upstream goes to a virtual thread. Answers go out on the socket
 * the query came in on. No hand-off per query: a new virtual thread per query cost more than the answer
 * (and each came with empty thread-local buffers, so the list lookup and the event encoding
 * allocated theirs again per query).
 *
 * <p>A forward's answer is sent by a platform thread of the listener's ({@code dns-udp-reply}), not
 * by the forward's virtual thread: the JDK turns a channel's socket non-blocking for good the first
 * time a virtual thread does I/O on it, and then every receive that finds no datagram waiting costs
 * a {@code recvfrom} that fails, a {@code poll} and a second {@code recvfrom} instead of one
 * blocking call.
 */
final class UdpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    /** Larger datagrams are cut to this and then fail to parse: FORMERR. */
    private static final int MAX_QUERY = 4096;
    static final int MAX_RECEIVERS = 4;
    /** Forwards' answers waiting for the reply thread; a forward waits (parked) while it is full. */
    private static final int REPLY_QUEUE = 1024;
    /** Answers up to this size go out through the receiving thread's own direct buffer. */
    private static final int ANSWER_BUFFER = 4096;

    private final Listener listener;
    /** One socket per receiving thread, all on the listener's address (SO_REUSEPORT): no lock between them. */
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final DnsFilter filter;
    private final ExecutorService workers;
    private final List<Thread> receivers = new ArrayList<>();
    /** Answers made on virtual threads, for {@link #replier} to send. */
    private final ArrayBlockingQueue<Reply> replies = new ArrayBlockingQueue<>(REPLY_QUEUE);
    private final Thread replier;
    private final RateLimitedLog replyLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private volatile long offThreadReplies;

    /** An answer to send on a socket of this listener. */
    private record Reply(DatagramChannel channel, byte[] answer, InetSocketAddress to) {
    }

    UdpListener(Listener listener, DnsFilter filter, ExecutorService workers) throws IOException {
        this.listener = listener;
        this.filter = filter;
        this.workers = workers;
        int n = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_RECEIVERS);
        try {
            DatagramChannel first = open(listener.address(), n > 1);
            channels.add(first);
            // Later sockets join the port the first was given (port 0 picks one); the kernel spreads
            // clients over them by address and port. Where SO_REUSEPORT is missing, one socket.
            if (first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                InetSocketAddress bound = (InetSocketAddress) first.getLocalAddress();
                for (int i = 1; i < n; i++) {
                    channels.add(open(bound, true));
                }
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
        replier = Thread.ofPlatform().daemon().name("dns-udp-reply-" + listener).start(this::reply);
        for (int i = 0; i < channels.size(); i++) {
            DatagramChannel channel = channels.get(i);
            receivers.add(Thread.ofPlatform().daemon().name("dns-udp-" + listener + "-" + i).start(() -> receive(channel)));
        }
    }

    private static DatagramChannel open(InetSocketAddress address, boolean reusePort) throws IOException {
        DatagramChannel channel = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            if (reusePort && channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channels.getFirst().getLocalAddress();
    }

    private void receive(DatagramChannel channel) {
        // Direct buffers: the JDK copies a heap buffer into a temporary direct one for every call.
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_QUERY);
        ByteBuffer answers = ByteBuffer.allocateDirect(ANSWER_BUFFER);
        Thread receiver = Thread.currentThread();
        // The loop only calls: a query's work in a method of its own is compiled as any method is,
        // where a loop that never returns runs interpreted until an on-stack replacement, and again
        // after every deoptimisation of it (profile under load: the loop's frame was interpreted in
        // 59 % of the receiving threads' Java samples, with the compilers busy for half a minute).
        while (channel.isOpen()) {
            if (!receiveOne(channel, buf, answers, receiver)) {
                return;
            }
        }
    }

    /** Receives, admits and answers one datagram; false once the channel is closed. */
    private boolean receiveOne(DatagramChannel channel, ByteBuffer buf, ByteBuffer answers, Thread receiver) {
        InetSocketAddress from;
        try {
            buf.clear();
            from = (InetSocketAddress) channel.receive(buf);
        } catch (ClosedChannelException e) {
            return false;
        } catch (java.net.PortUnreachableException e) {
            return true; // an earlier answer went to a client that had gone: nothing to do
        } catch (IOException | RuntimeException e) {
            LOG.warn("DNS UDP receive on {} failed: {}", listener, e.toString());
            return true;
        }
        buf.flip();
        byte[] packet = new byte[buf.remaining()];
        buf.get(packet);
        Client client = new Client(listener.zone(), from.getAddress(), from.getPort(), Transport.UDP);
        DnsFilter.Replies out = answer -> send(channel, answer, from, receiver, answers);
        ClientLimits.Ticket ticket = filter.admit(packet, client, out);
        if (ticket == null) {
            return true;
        }
        try {
            filter.handle(packet, client, out, ticket, workers);
        } catch (RuntimeException e) {
            LOG.warn("DNS query in zone {} not answered: {}", listener.zone(), e.toString());
        }
        return true;
    }

    /**
     * Sends an answer: on the receiving thread through its own direct buffer (no buffer object per
     * answer, one copy); from a virtual thread (a forward's) through the reply thread, so that the
     * socket stays blocking; from another platform thread wrapped as it is.
     */
    private void send(DatagramChannel channel, byte[] answer, InetSocketAddress to, Thread receiver,
                      ByteBuffer own) throws IOException {
        Thread current = Thread.currentThread();
        if (current == receiver && answer.length <= own.capacity()) {
            own.clear();
            own.put(answer).flip();
            channel.send(own, to);
        } else if (current.isVirtual()) {
            try {
                if (!replies.offer(new Reply(channel, answer, to), 1, TimeUnit.SECONDS)) {
                    throw new IOException("the reply thread of " + listener + " is not taking answers");
                }
            } catch (InterruptedException e) {
                current.interrupt();
                throw new java.io.InterruptedIOException("interrupted while queueing an answer");
            }
        } else {
            channel.send(ByteBuffer.wrap(answer), to);
        }
    }

    /** The reply thread: sends what virtual threads queued, until the listener closes. */
    private void reply() {
        while (true) {
            Reply r;
            try {
                r = replies.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                r.channel().send(ByteBuffer.wrap(r.answer()), r.to());
                offThreadReplies++; // one writer: this thread
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                replyLog.warn("DNS answer not sent on {}: {}", listener, e.toString());
            }
        }
    }

    /** Answers the reply thread has sent (forwards' answers). */
    long offThreadReplies() {
        return offThreadReplies;
    }

    private void closeChannels() {
        for (DatagramChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", listener, e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeChannels();
        replier.interrupt();
        try {
            for (Thread t : receivers) {
                t.join(2_000);
            }
            replier.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
