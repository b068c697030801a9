package org.omamori.dns;

import static org.omamori.dns.NativeUdp.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * A receiving thread's buffers: {@code size} datagrams in, {@code size} answers out, their
 * addresses and headers. Confined to the thread that made it; close it on that thread.
 */
final class NativeUdpBatch implements UdpBatching.Batch {

    private final Arena arena = Arena.ofConfined();
    private final int size;
    private final int maxQuery;
    private final int maxAnswer;
    private final MemorySegment capture;
    private final MemorySegment in;
    private final MemorySegment inNames;
    private final MemorySegment inData;
    private final MemorySegment out;
    private final MemorySegment outNames;
    private final MemorySegment outData;
    private final MemorySegment outIov;
    private int outCount;
    /** The last senders' addresses (IPv4), so that a client's next query does not make its address again. */
    private final long[] senderKeys = new long[64];
    private final InetSocketAddress[] senders = new InetSocketAddress[64];

    NativeUdpBatch(int size, int maxQuery, int maxAnswer) {
        this.size = size;
        this.maxQuery = maxQuery;
        this.maxAnswer = maxAnswer;
        capture = arena.allocate(C.capture());
        in = arena.allocate((long) size * MMSGHDR, 8);
        inNames = arena.allocate((long) size * NAME, 8);
        MemorySegment inIov = arena.allocate((long) size * IOVEC, 8);
        inData = arena.allocate((long) size * maxQuery, 8);
        out = arena.allocate((long) size * MMSGHDR, 8);
        outNames = arena.allocate((long) size * NAME, 8);
        outIov = arena.allocate((long) size * IOVEC, 8);
        outData = arena.allocate((long) size * maxAnswer, 8);
        for (int i = 0; i < size; i++) {
            inIov.set(ADDRESS, (long) i * IOVEC, inData.asSlice((long) i * maxQuery, maxQuery));
            inIov.set(JAVA_LONG, (long) i * IOVEC + 8, maxQuery);
            header(in, i, inNames, inIov);
            outIov.set(ADDRESS, (long) i * IOVEC, outData.asSlice((long) i * maxAnswer, maxAnswer));
            header(out, i, outNames, outIov);
        }
    }

    private static void header(MemorySegment vector, int i, MemorySegment names, MemorySegment iov) {
        long h = (long) i * MMSGHDR;
        vector.set(ADDRESS, h + MSG_NAME, names.asSlice((long) i * NAME, NAME));
        vector.set(JAVA_INT, h + MSG_NAMELEN, NAME);
        vector.set(ADDRESS, h + MSG_IOV, iov.asSlice((long) i * IOVEC, IOVEC));
        vector.set(JAVA_LONG, h + MSG_IOVLEN, 1);
    }

    /**
     * Waits for a datagram and takes it and those already waiting behind it, up to the batch's
     * size, in one system call.
     *
     * @return how many came, 0 when interrupted or nothing came within the socket's wake-up time
     */
    @Override
    public int receive(UdpBatching.Socket s) throws IOException {
        NativeUdpSocket socket = (NativeUdpSocket) s;
        for (int i = 0; i < size; i++) {
            in.set(JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN, NAME);
            in.set(JAVA_INT, (long) i * MMSGHDR + MSG_LEN, 0);
        }
        int n;
        try {
            n = (int) C.recvmmsg().invokeExact(capture, socket.fd, in, size, MSG_WAITFORONE, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (n >= 0) {
            return Math.min(n, size);
        }
        int errno = errno(capture);
        if (errno == EINTR || errno == EAGAIN) {
            return 0;
        }
        if (socket.closed()) {
            throw new ClosedChannelException();
        }
        throw failure("recvmmsg", errno);
    }

    /** The {@code i}th datagram's bytes (at most the buffer's size). */
    @Override
    public byte[] packet(int i) {
        int length = Math.clamp(in.get(JAVA_INT, (long) i * MMSGHDR + MSG_LEN), 0, maxQuery);
        byte[] packet = new byte[length];
        MemorySegment.copy(inData, JAVA_BYTE, (long) i * maxQuery, packet, 0, length);
        return packet;
    }

    /** Who sent the {@code i}th datagram; null for an address of another family or length (dropped). */
    @Override
    public InetSocketAddress sender(int i) {
        int length = in.get(JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN);
        MemorySegment name = inNames.asSlice((long) i * NAME, NAME);
        int family = Short.toUnsignedInt(name.get(JAVA_SHORT, 0));
        int port = Short.toUnsignedInt(name.get(PORT, 2));
        try {
            if (family == AF_INET && length >= SOCKADDR_IN) {
                int ip = name.get(IPV4, 4);
                long key = 1L << 48 | (ip & 0xffffffffL) << 16 | port;
                int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 58);
                if (senderKeys[slot] == key) {
                    return senders[slot];
                }
                byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(b), port);
                senderKeys[slot] = key;
                senders[slot] = a;
                return a;
            }
            if (family == AF_INET6 && length >= SOCKADDR_IN6) {
                byte[] b = new byte[16];
                MemorySegment.copy(name, JAVA_BYTE, 8, b, 0, 16);
                int scope = name.get(JAVA_INT, 24);
                // as a DatagramChannel gives it: ::ffff:a.b.c.d is the IPv4 address
                InetAddress ip = scope == 0 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, scope);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            return null; // not for 4 or 16 bytes
        }
        return null;
    }

    /**
     * Queues an answer to the {@code i}th datagram's sender, sending the queue first when it is
     * full; false when the answer is longer than a slot (then send it with {@link #sendNow}).
     */
    @Override
    public boolean queue(UdpBatching.Socket socket, int i, byte[] answer) throws IOException {
        if (answer.length > maxAnswer) {
            return false;
        }
        if (outCount == size) {
            flush(socket);
        }
        int o = outCount;
        int nameLength = Math.clamp(in.get(JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN), 0, NAME);
        MemorySegment.copy(inNames, (long) i * NAME, outNames, (long) o * NAME, nameLength);
        out.set(JAVA_INT, (long) o * MMSGHDR + MSG_NAMELEN, nameLength);
        MemorySegment.copy(answer, 0, outData, JAVA_BYTE, (long) o * maxAnswer, answer.length);
        outIov.set(JAVA_LONG, (long) o * IOVEC + 8, answer.length);
        outCount = o + 1;
        return true;
    }

    /** Sends an answer to the {@code i}th datagram's sender at once, whatever its length. */
    @Override
    public void sendNow(UdpBatching.Socket s, int i, byte[] answer) throws IOException {
        NativeUdpSocket socket = (NativeUdpSocket) s;
        int nameLength = Math.clamp(in.get(JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN), 0, NAME);
        try (Arena once = Arena.ofConfined()) {
            MemorySegment data = once.allocate(Math.max(1, answer.length));
            MemorySegment.copy(answer, 0, data, JAVA_BYTE, 0, answer.length);
            sendto(socket, capture, data, answer.length, inNames.asSlice((long) i * NAME, NAME), nameLength);
        }
    }

    /**
     * Sends the queued answers, in one system call when all go. An answer the kernel refuses
     * (e.g. an address it cannot route) is skipped; the count of those is thrown at the end.
     */
    @Override
    public void flush(UdpBatching.Socket s) throws IOException {
        NativeUdpSocket socket = (NativeUdpSocket) s;
        int failed = 0;
        int sent = 0;
        int lastErrno = 0;
        while (sent < outCount) {
            int n;
            try {
                n = (int) C.sendmmsg().invokeExact(capture, socket.fd, out.asSlice((long) sent * MMSGHDR),
                        outCount - sent, 0);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n > 0) {
                sent += n;
                continue;
            }
            int errno = errno(capture);
            if (errno == EINTR) {
                continue;
            }
            if (socket.closed()) {
                outCount = 0;
                throw new ClosedChannelException();
            }
            lastErrno = errno;
            failed++;
            sent++; // the first of the rest could not go: skip it
        }
        outCount = 0;
        if (failed > 0 && lastErrno != 0) {
            throw new IOException(failed + " answers not sent: " + failure("sendmmsg", lastErrno).getMessage());
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
