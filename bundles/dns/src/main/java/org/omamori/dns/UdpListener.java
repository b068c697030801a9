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
import java.util.concurrent.atomic.LongAdder;

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
 *
 * <p>On Linux the sockets are the C library's, through the foreign-function API ({@link UdpBatching}; Java 22 or later):
 * a receiving thread takes every datagram waiting, up to {@value #BATCH}, with one {@code recvmmsg}
 * and sends the answers it gave to them with one {@code sendmmsg}; two system calls per batch
 * instead of two per query. Each datagram is still admitted, parsed and answered on its own, as
 * below. Elsewhere, when the native access is denied, or with {@code -Domamori.dns.udpBatched=false},
 * the sockets are {@code DatagramChannel}s, one datagram per call.
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
    private static final int RECEIVE_BUFFER = 4 << 20;
    /** Datagrams taken (and answers sent) per system call on the batched path. */
    static final int BATCH = 32;
    /** The batched path unless false (or unavailable here). */
    static final String BATCHED_PROPERTY = "omamori.dns.udpBatched";
    /** How often a batched receive wakes when nothing comes (a backstop: closing wakes it at once). */
    private static final int WAKE_MILLIS = 1_000;

    private final Listener listener;
    /** One socket per receiving thread, all on the listener's address (SO_REUSEPORT): no lock between them. */
    private final List<DatagramChannel> channels = new ArrayList<>();
    /** The batched path's sockets, instead of {@link #channels}. */
    private final List<UdpBatching.Socket> sockets = new ArrayList<>();
    private final DnsFilter filter;
    private final ExecutorService workers;
    private final List<Thread> receivers = new ArrayList<>();
    /** Answers made on virtual threads, for {@link #replier} to send. */
    private final ArrayBlockingQueue<Reply> replies = new ArrayBlockingQueue<>(REPLY_QUEUE);
    private final Thread replier;
    private final RateLimitedLog replyLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private volatile long offThreadReplies;
    private final RateLimitedLog sendLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedLog receiveLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final LongAdder batches = new LongAdder();
    private final LongAdder batched = new LongAdder();

    /** An answer to send on a socket of this listener: a channel's or (batched path) a native one. */
    private record Reply(DatagramChannel channel, UdpBatching.Socket socket, byte[] answer, InetSocketAddress to) {
    }

    UdpListener(Listener listener, DnsFilter filter, ExecutorService workers) throws IOException {
        this.listener = listener;
        this.filter = filter;
        this.workers = workers;
        int n = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_RECEIVERS);
        String why = batchedUnavailable();
        try {
            if (why == null) {
                openSockets(listener.address(), n);
            } else {
                openChannels(listener.address(), n);
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
        LOG.info("DNS UDP on {}: {} receiving threads, {}", listener, Math.max(channels.size(), sockets.size()),
                why == null ? "recvmmsg/sendmmsg, up to " + BATCH + " datagrams per call" : "a DatagramChannel each (" + why + ")");
        replier = Thread.ofPlatform().daemon().name("dns-udp-reply-" + listener).start(this::reply);
        for (int i = 0; i < channels.size(); i++) {
            DatagramChannel channel = channels.get(i);
            receivers.add(Thread.ofPlatform().daemon().name("dns-udp-" + listener + "-" + i).start(() -> receive(channel)));
        }
        for (int i = 0; i < sockets.size(); i++) {
            UdpBatching.Socket socket = sockets.get(i);
            socket.acquire(); // the receiving thread's reference, let go when it ends
            receivers.add(Thread.ofPlatform().daemon().name("dns-udp-" + listener + "-" + i).start(() -> receiveBatches(socket)));
        }
    }

    /** Null when the batched path is used; otherwise why not. */
    static String batchedUnavailable() {
        if ("false".equalsIgnoreCase(System.getProperty(BATCHED_PROPERTY, "true").trim())) {
            return BATCHED_PROPERTY + "=false";
        }
        return UdpBatching.UNAVAILABLE;
    }

    private void openChannels(InetSocketAddress address, int n) throws IOException {
        DatagramChannel first = open(address, n > 1);
        channels.add(first);
        // Later sockets join the port the first was given (port 0 picks one); the kernel spreads
        // clients over them by address and port. Where SO_REUSEPORT is missing, one socket.
        if (first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            InetSocketAddress bound = (InetSocketAddress) first.getLocalAddress();
            for (int i = 1; i < n; i++) {
                channels.add(open(bound, true));
            }
        }
    }

    private void openSockets(InetSocketAddress address, int n) throws IOException {
        UdpBatching.Socket first = UdpBatching.INSTANCE.open(address, n > 1, RECEIVE_BUFFER, WAKE_MILLIS);
        sockets.add(first);
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), first.port());
        for (int i = 1; i < n; i++) {
            sockets.add(UdpBatching.INSTANCE.open(bound, true, RECEIVE_BUFFER, WAKE_MILLIS));
        }
    }

    private static DatagramChannel open(InetSocketAddress address, boolean reusePort) throws IOException {
        DatagramChannel channel = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
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
        if (!sockets.isEmpty()) {
            return new InetSocketAddress(listener.address().getAddress(), sockets.getFirst().port());
        }
        return (InetSocketAddress) channels.getFirst().getLocalAddress();
    }

    /** Whether the sockets are the batched path's. */
    boolean batched() {
        return !sockets.isEmpty();
    }

    /** Batches received on the batched path, and the datagrams in them. */
    long[] batches() {
        return new long[] {batches.sum(), batched.sum()};
    }

    /** A receiving thread of the batched path: a batch at a time, until the socket closes. */
    private void receiveBatches(UdpBatching.Socket socket) {
        Thread receiver = Thread.currentThread();
        try (UdpBatching.Batch batch = UdpBatching.INSTANCE.batch(BATCH, MAX_QUERY, ANSWER_BUFFER)) {
            // as in receive(): the loop only calls, the batch's work is a method of its own (compiled as any)
            while (!socket.closed()) {
                if (!receiveBatch(socket, batch, receiver)) {
                    return;
                }
            }
        } finally {
            socket.release();
        }
    }

    /** Receives a batch, admits and answers each datagram, sends the answers; false once the socket is closed. */
    private boolean receiveBatch(UdpBatching.Socket socket, UdpBatching.Batch batch, Thread receiver) {
        int n;
        try {
            n = batch.receive(socket);
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            receiveLog.warn("DNS UDP receive on {} failed: {}", listener, e.toString());
            return !socket.closed();
        }
        if (socket.closed()) {
            return false; // a closed socket "receives" empty datagrams: not queries
        }
        if (n == 0) {
            return true;
        }
        batches.increment();
        batched.add(n);
        for (int i = 0; i < n; i++) {
            answerOne(socket, batch, i, receiver);
        }
        try {
            batch.flush(socket);
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            sendLog.warn("DNS answers not sent on {}: {}", listener, e.toString());
        }
        return true;
    }

    /** Admits and answers the {@code i}th datagram of a batch; its answer waits in the batch for the send. */
    private void answerOne(UdpBatching.Socket socket, UdpBatching.Batch batch, int i, Thread receiver) {
        InetSocketAddress from = batch.sender(i);
        if (from == null) {
            return; // not an IPv4 or IPv6 sender: nothing to answer to
        }
        byte[] packet = batch.packet(i);
        Client client = new Client(listener.zone(), from.getAddress(), from.getPort(), Transport.UDP);
        DnsFilter.Replies out = answer -> {
            Thread current = Thread.currentThread();
            if (current == receiver) { // within this batch: the datagram's slot still holds its sender
                if (!batch.queue(socket, i, answer)) {
                    batch.sendNow(socket, i, answer);
                }
            } else {
                queueReply(new Reply(null, socket, answer, from), current);
            }
        };
        admitAndAnswer(packet, client, out);
    }

    /**
     * The tail both receive paths share: admit the query under the client's limits, then answer
     * it. A failure is logged and the thread goes on to the next datagram.
     */
    private void admitAndAnswer(byte[] packet, Client client, DnsFilter.Replies out) {
        try {
            ClientLimits.Ticket ticket = filter.admit(packet, client, out);
            if (ticket != null) {
                filter.handle(packet, client, out, ticket, workers);
            }
        } catch (RuntimeException e) {
            LOG.warn("DNS query in zone {} not answered: {}", listener.zone(), e.toString());
        }
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
        admitAndAnswer(packet, client, out);
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
            queueReply(new Reply(channel, null, answer, to), current);
        } else {
            channel.send(ByteBuffer.wrap(answer), to);
        }
    }

    /** Hands an answer to the reply thread, waiting up to a second while its queue is full. */
    private void queueReply(Reply reply, Thread current) throws IOException {
        try {
            if (!replies.offer(reply, 1, TimeUnit.SECONDS)) {
                throw new IOException("the reply thread of " + listener + " is not taking answers");
            }
        } catch (InterruptedException e) {
            current.interrupt();
            throw new java.io.InterruptedIOException("interrupted while queueing an answer");
        }
    }

    /** The reply thread: sends what other threads queued, until the listener closes. */
    private void reply() {
        UdpBatching.Sender sender = sockets.isEmpty() ? null : UdpBatching.INSTANCE.sender(ANSWER_BUFFER);
        try {
            while (true) {
                Reply r;
                try {
                    r = replies.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (r.socket() != null) {
                        sender.send(r.socket(), r.answer(), r.to());
                    } else {
                        r.channel().send(ByteBuffer.wrap(r.answer()), r.to());
                    }
                    offThreadReplies++; // one writer: this thread
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    replyLog.warn("DNS answer not sent on {}: {}", listener, e.toString());
                }
            }
        } finally {
            if (sender != null) {
                sender.close();
            }
        }
    }

    /** Answers the reply thread has sent (forwards' answers). */
    long offThreadReplies() {
        return offThreadReplies;
    }

    private void closeChannels() {
        for (UdpBatching.Socket socket : sockets) {
            socket.close(); // wakes its receiving thread; the descriptor closes when that thread has let it go
        }
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
