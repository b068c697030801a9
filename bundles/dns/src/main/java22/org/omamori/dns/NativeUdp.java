package org.omamori.dns;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
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
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * UDP sockets of the C library through the foreign-function API, for Linux on x86-64 and AArch64
 * (the two layouts of {@code struct mmsghdr} this class writes): {@code recvmmsg} takes up to a
 * batch of datagrams in one system call (blocking for the first only, {@code MSG_WAITFORONE}) and
 * {@code sendmmsg} sends the batch's answers in one. {@link #unavailable()} says why not elsewhere
 * (another system, the native access denied); the listener then uses a {@code DatagramChannel}.
 * Compiled for Java 22 (the foreign-function API is final there), loaded by {@link UdpBatching}.
 *
 * <p>Every datagram lands in a buffer of its own of a fixed size; a longer one is cut to it (the
 * same cut as {@code DatagramChannel.receive} makes to its buffer).
 * The lengths and addresses the kernel writes are checked before they are used. Native memory is
 * a confined arena per thread ({@link NativeUdpBatch}, {@link NativeUdpSender}), freed when the thread closes it; a
 * socket's descriptor is closed once its last user has let it go ({@link NativeUdpSocket#release}), so a
 * thread still in a system call never meets a descriptor number reused by another file.
 */
final class NativeUdp implements UdpBatching {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int MSG_WAITFORONE = 0x10000;
    static final int SHUT_RDWR = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EADDRINUSE = 98;
    static final int EACCES = 13;

    /** {@code struct sockaddr_in6} (28 bytes) rounded up; {@code sockaddr_in} is 16. */
    static final int NAME = 32;
    static final int SOCKADDR_IN = 16;
    static final int SOCKADDR_IN6 = 28;
    /** {@code struct iovec}: base, length. */
    static final int IOVEC = 16;
    /** {@code struct mmsghdr}: a {@code struct msghdr} (56 bytes) and the length received, padded. */
    static final int MMSGHDR = 64;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_LEN = 56;

    static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt IPV4 = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    record Calls(MethodHandle socket, MethodHandle setsockopt, MethodHandle bind, MethodHandle getsockname,
                         MethodHandle recvmmsg, MethodHandle sendmmsg, MethodHandle sendto, MethodHandle shutdown,
                         MethodHandle close, StructLayout capture, VarHandle errno) {
    }

    static final Calls C;
    static final String UNAVAILABLE;

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
        return NativeUdpSocket.open(address, reusePort, receiveBuffer, wakeMillis);
    }

    @Override
    public UdpBatching.Batch batch(int size, int maxQuery, int maxAnswer) {
        return new NativeUdpBatch(size, maxQuery, maxAnswer);
    }

    @Override
    public UdpBatching.Sender sender(int max) {
        return new NativeUdpSender(max);
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

    static int errno(MemorySegment capture) {
        return (int) C.errno().get(capture, 0L);
    }

    static IOException failure(String what, int errno) {
        String text = what + " failed (errno " + errno + ")";
        return errno == EADDRINUSE || errno == EACCES ? new BindException(text) : new IOException(text);
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

    static void sendto(NativeUdpSocket socket, MemorySegment capture, MemorySegment data, int length, MemorySegment name,
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
}
