package org.omamori.dns;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * UDP sockets of the C library through the foreign-function API, for Linux on x86-64 and AArch64
 * (the two layouts of {@code struct mmsghdr} this class writes): {@code recvmmsg} takes up to a
 * batch of datagrams in one system call (blocking for the first only, {@code MSG_WAITFORONE}) and
 * {@code sendmmsg} sends the batch's answers in one. {@link #unavailable()} says why not elsewhere
 * (another system, the native access denied); the listener then uses a {@code DatagramChannel}.
 * Compiled for Java 22 (the foreign-function API is final there), loaded by {@link UdpBatching}.
 *
 * <p>Every datagram lands in a buffer of its own of a fixed size; a longer one is cut to it (the
 * kernel flags it {@code MSG_TRUNC}), as {@code DatagramChannel.receive} cuts it to the buffer.
 * The lengths and addresses the kernel writes are checked before they are used. Native memory is
 * a confined arena per thread ({@link Batch}, {@link Sender}), freed when the thread closes it; a
 * socket's descriptor is closed once its last user has let it go ({@link Socket#release}), so a
 * thread still in a system call never meets a descriptor number reused by another file.
 */
final class NativeUdp implements UdpBatching {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_REUSEPORT = 15;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int SHUT_RDWR = 2;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EADDRINUSE = 98;
    private static final int EACCES = 13;

    /** {@code struct sockaddr_in6} (28 bytes) rounded up; {@code sockaddr_in} is 16. */
    private static final int NAME = 32;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;
    /** {@code struct iovec}: base, length. */
    private static final int IOVEC = 16;
    /** {@code struct mmsghdr}: a {@code struct msghdr} (56 bytes) and the length received, padded. */
    private static final int MMSGHDR = 64;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;

    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt IPV4 = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private record Calls(MethodHandle socket, MethodHandle setsockopt, MethodHandle bind, MethodHandle getsockname,
                         MethodHandle recvmmsg, MethodHandle sendmmsg, MethodHandle sendto, MethodHandle shutdown,
                         MethodHandle close, StructLayout capture, VarHandle errno) {
    }

    private static final Calls C;
    private static final String UNAVAILABLE;

    static {
        Calls calls = null;
        String why = null;
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            why = "not Linux (" + os + ")";
        } else if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            why = "a processor whose struct layouts are not written here (" + arch + ")";
        } else {
            try {
                calls = link();
            } catch (RuntimeException | LinkageError e) { // e.g. IllegalCallerException: native access denied
                why = e.toString();
            }
        }
        C = calls;
        UNAVAILABLE = why;
    }

    /** Made by {@link UdpBatching.Loaded}, reflectively. */
    NativeUdp() {
    }

    @Override
    public String unavailable() {
        return UNAVAILABLE;
    }

    @Override
    public UdpBatching.Socket open(InetSocketAddress address, boolean reusePort, int receiveBuffer, int wakeMillis)
            throws IOException {
        return Socket.open(address, reusePort, receiveBuffer, wakeMillis);
    }

    @Override
    public UdpBatching.Batch batch(int size, int maxQuery, int maxAnswer) {
        return new Batch(size, maxQuery, maxAnswer);
    }

    @Override
    public UdpBatching.Sender sender(int max) {
        return new Sender(max);
    }

    private static Calls link() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        StructLayout capture = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = capture.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        java.util.function.BiFunction<String, FunctionDescriptor, MethodHandle> call = (name, fd) -> linker.downcallHandle(
                libc.find(name).orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library")), fd, errno);
        return new Calls(
                call.apply("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)),
                call.apply("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)),
                call.apply("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)),
                call.apply("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)),
                call.apply("recvmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS)),
                call.apply("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
                call.apply("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT)),
                call.apply("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)),
                call.apply("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
                capture, errnoHandle);
    }

    private static int errno(MemorySegment capture) {
        return (int) C.errno().get(capture, 0L);
    }

    private static IOException failure(String what, int errno) {
        String text = what + " failed (errno " + errno + ")";
        return errno == EADDRINUSE || errno == EACCES ? new BindException(text) : new IOException(text);
    }

    /** A UDP socket's descriptor, shared by the threads that receive and send on it. */
    static final class Socket implements UdpBatching.Socket {

        private final int fd;
        private final int family;
        private final int port;
        /** The owner's reference and one per thread using the descriptor; the last to let go closes it. */
        private final AtomicInteger refs = new AtomicInteger(1);
        private volatile boolean closed;

        private Socket(int fd, int family, int port) {
            this.fd = fd;
            this.family = family;
            this.port = port;
        }

        /**
         * A blocking UDP socket bound to {@code address}, with {@code SO_REUSEPORT} when asked; a
         * receive returns at least every {@code wakeMillis} when nothing comes (a backstop for the
         * wake-up on close).
         */
        static Socket open(InetSocketAddress address, boolean reusePort, int receiveBuffer, int wakeMillis) throws IOException {
            InetAddress ip = address.getAddress();
            int family = ip instanceof Inet6Address ? AF_INET6 : AF_INET;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment capture = arena.allocate(C.capture());
                int fd = (int) C.socket().invokeExact(capture, family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                if (fd < 0) {
                    throw failure("socket", errno(capture));
                }
                try {
                    MemorySegment value = arena.allocate(16, 8);
                    value.set(JAVA_INT, 0, receiveBuffer);
                    option(capture, fd, SOL_SOCKET, SO_RCVBUF, value, 4, "SO_RCVBUF");
                    value.set(JAVA_LONG, 0, wakeMillis / 1000);
                    value.set(JAVA_LONG, 8, (wakeMillis % 1000) * 1000L);
                    option(capture, fd, SOL_SOCKET, SO_RCVTIMEO, value, 16, "SO_RCVTIMEO");
                    if (reusePort) {
                        value.set(JAVA_INT, 0, 1);
                        option(capture, fd, SOL_SOCKET, SO_REUSEPORT, value, 4, "SO_REUSEPORT");
                    }
                    if (family == AF_INET6) { // both families on an IPv6 socket, as a DatagramChannel has it
                        value.set(JAVA_INT, 0, 0);
                        option(capture, fd, IPPROTO_IPV6, IPV6_V6ONLY, value, 4, "IPV6_V6ONLY");
                    }
                    MemorySegment name = arena.allocate(NAME, 8);
                    int length = encode(address, family, name);
                    if ((int) C.bind().invokeExact(capture, fd, name, length) != 0) {
                        throw failure("bind to " + address, errno(capture));
                    }
                    MemorySegment nameLength = arena.allocate(JAVA_INT);
                    nameLength.set(JAVA_INT, 0, NAME);
                    name.fill((byte) 0);
                    if ((int) C.getsockname().invokeExact(capture, fd, name, nameLength) != 0) {
                        throw failure("getsockname", errno(capture));
                    }
                    return new Socket(fd, family, Short.toUnsignedInt(name.get(PORT, 2)));
                } catch (IOException | RuntimeException | Error e) {
                    int ignored = (int) C.close().invokeExact(capture, fd);
                    throw e;
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) { // invokeExact's signature; the handles throw nothing checked
                throw new IllegalStateException(t);
            }
        }

        private static void option(MemorySegment capture, int fd, int level, int name, MemorySegment value, int length,
                                   String what) throws Throwable {
            if ((int) C.setsockopt().invokeExact(capture, fd, level, name, value, length) != 0) {
                throw failure("setsockopt " + what, errno(capture));
            }
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean closed() {
            return closed;
        }

        /** Takes a reference for a thread that will use the descriptor; false once closed. */
        @Override
        public boolean acquire() {
            while (true) {
                int n = refs.get();
                if (n == 0 || closed) {
                    return false;
                }
                if (refs.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        /** Lets a reference go; the last closes the descriptor. */
        @Override
        public void release() {
            if (refs.decrementAndGet() == 0) {
                try (Arena arena = Arena.ofConfined()) {
                    int ignored = (int) C.close().invokeExact(arena.allocate(C.capture()), fd);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        }

        /**
         * Closes the socket: threads blocked in a receive on it return ({@code shutdown} wakes them),
         * and the descriptor is closed when the last of them has let it go.
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) C.shutdown().invokeExact(arena.allocate(C.capture()), fd, SHUT_RDWR); // ENOTCONN for UDP, wakes anyway
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            release();
        }
    }

    /** Writes {@code address} as a {@code sockaddr} of {@code family} into {@code name}; returns its length. */
    static int encode(InetSocketAddress address, int family, MemorySegment name) throws IOException {
        InetAddress ip = address.getAddress();
        name.asSlice(0, NAME).fill((byte) 0);
        if (family == AF_INET) {
            if (!(ip instanceof Inet4Address)) {
                throw new IOException("an IPv6 address on an IPv4 socket"); // no address: log lines name none
            }
            name.set(JAVA_SHORT, 0, (short) AF_INET);
            name.set(PORT, 2, (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, name, JAVA_BYTE, 4, 4);
            return SOCKADDR_IN;
        }
        name.set(JAVA_SHORT, 0, (short) AF_INET6);
        name.set(PORT, 2, (short) address.getPort());
        if (ip instanceof Inet4Address) { // ::ffff:a.b.c.d on a socket of both families
            name.set(JAVA_BYTE, 18, (byte) 0xff);
            name.set(JAVA_BYTE, 19, (byte) 0xff);
            MemorySegment.copy(ip.getAddress(), 0, name, JAVA_BYTE, 20, 4);
        } else {
            MemorySegment.copy(ip.getAddress(), 0, name, JAVA_BYTE, 8, 16);
            name.set(JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        }
        return SOCKADDR_IN6;
    }

    /**
     * A receiving thread's buffers: {@code size} datagrams in, {@code size} answers out, their
     * addresses and headers. Confined to the thread that made it; close it on that thread.
     */
    static final class Batch implements UdpBatching.Batch {

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

        Batch(int size, int maxQuery, int maxAnswer) {
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
            Socket socket = (Socket) s;
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

        /** Whether the {@code i}th datagram was longer than the buffer and cut. */
        @Override
        public boolean truncated(int i) {
            return (in.get(JAVA_INT, (long) i * MMSGHDR + MSG_FLAGS) & MSG_TRUNC) != 0;
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
            Socket socket = (Socket) s;
            int nameLength = Math.clamp(in.get(JAVA_INT, (long) i * MMSGHDR + MSG_NAMELEN), 0, NAME);
            try (Arena once = Arena.ofConfined()) {
                MemorySegment data = once.allocate(Math.max(1, answer.length));
                MemorySegment.copy(answer, 0, data, JAVA_BYTE, 0, answer.length);
                sendto(socket, capture, data, answer.length, inNames.asSlice((long) i * NAME, NAME), nameLength);
            }
        }

        /**
         * Sends the queued answers, in one system call when all go. An answer the kernel refuses
         * (e.g. an address it cannot route) is skipped and counted.
         *
         * @return answers not sent
         */
        @Override
        public void flush(UdpBatching.Socket s) throws IOException {
            Socket socket = (Socket) s;
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

    private static void sendto(Socket socket, MemorySegment capture, MemorySegment data, int length, MemorySegment name,
                               int nameLength) throws IOException {
        while (true) {
            long n;
            try {
                n = (long) C.sendto().invokeExact(capture, socket.fd, data, (long) length, 0, name, nameLength);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n >= 0) {
                return;
            }
            int errno = errno(capture);
            if (errno == EINTR) {
                continue;
            }
            if (socket.closed()) {
                throw new ClosedChannelException();
            }
            throw failure("sendto", errno);
        }
    }

    /** One thread's sending of single answers to an address (the forwards' answers). Confined to that thread. */
    static final class Sender implements UdpBatching.Sender {

        private final Arena arena = Arena.ofConfined();
        private final MemorySegment capture = arena.allocate(C.capture());
        private final MemorySegment name = arena.allocate(NAME, 8);
        private final MemorySegment data;
        private final int max;

        Sender(int max) {
            this.max = max;
            data = arena.allocate(max, 8);
        }

        @Override
        public void send(UdpBatching.Socket s, byte[] answer, InetSocketAddress to) throws IOException {
            Socket socket = (Socket) s;
            if (!socket.acquire()) {
                throw new ClosedChannelException();
            }
            try {
                int nameLength = encode(to, socket.family, name);
                if (answer.length <= max) {
                    MemorySegment.copy(answer, 0, data, JAVA_BYTE, 0, answer.length);
                    sendto(socket, capture, data, answer.length, name, nameLength);
                } else {
                    try (Arena once = Arena.ofConfined()) {
                        MemorySegment big = once.allocate(answer.length);
                        MemorySegment.copy(answer, 0, big, JAVA_BYTE, 0, answer.length);
                        sendto(socket, capture, big, answer.length, name, nameLength);
                    }
                }
            } finally {
                socket.release();
            }
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
