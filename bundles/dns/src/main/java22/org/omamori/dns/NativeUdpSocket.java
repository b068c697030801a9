package org.omamori.dns;

import static org.omamori.dns.NativeUdp.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP socket's descriptor, shared by the threads that receive and send on it. */
final class NativeUdpSocket implements UdpBatching.Socket {

    final int fd;
    final int family;
    private final int port;
    /** The owner's reference and one per thread using the descriptor; the last to let go closes it. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean closed;

    private NativeUdpSocket(int fd, int family, int port) {
        this.fd = fd;
        this.family = family;
        this.port = port;
    }

    /**
     * A blocking UDP socket bound to {@code address}, with {@code SO_REUSEPORT} when asked; a
     * receive returns at least every {@code wakeMillis} when nothing comes (a backstop for the
     * wake-up on close).
     */
    static NativeUdpSocket open(InetSocketAddress address, boolean reusePort, int receiveBuffer, int wakeMillis) throws IOException {
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
                return new NativeUdpSocket(fd, family, Short.toUnsignedInt(name.get(PORT, 2)));
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
