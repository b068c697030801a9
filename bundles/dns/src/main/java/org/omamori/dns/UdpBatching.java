package org.omamori.dns;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * UDP sockets that take and send a batch of datagrams per system call ({@code recvmmsg},
 * {@code sendmmsg}). The implementation, {@code NativeUdp}, uses the foreign-function API and is
 * compiled for Java 22 (src/main/java22; the rest of the bundle is Java 21 bytecode): {@link #INSTANCE}
 * is null on Java 21, on a system other than Linux on x86-64 or AArch64, when the JVM denies native
 * access, or in a build by a JDK older than 22, and {@link #UNAVAILABLE} says why. The UDP listener
 * then uses a {@code DatagramChannel} per receiving thread.
 */
interface UdpBatching {

    /** Null where batched sockets can be used; otherwise why not. */
    String unavailable();

    /**
     * A blocking UDP socket bound to {@code address}, with {@code SO_REUSEPORT} when asked; a
     * receive returns at least every {@code wakeMillis} when nothing comes (a backstop for the
     * wake-up on close).
     */
    Socket open(InetSocketAddress address, boolean reusePort, int receiveBuffer, int wakeMillis) throws IOException;

    /** A receiving thread's buffers, confined to the calling thread. */
    Batch batch(int size, int maxQuery, int maxAnswer);

    /** A sending thread's buffers for single answers, confined to the calling thread. */
    Sender sender(int max);

    /** A socket shared by the threads that use it; its descriptor closes when the last has let it go. */
    interface Socket {
        int port();

        boolean closed();

        /** A reference for a thread that will use the socket; false once closed. */
        boolean acquire();

        void release();

        /** Wakes the threads blocked in a receive and lets the owner's reference go. */
        void close();
    }

    /** Up to {@code size} datagrams in, their answers out. */
    interface Batch extends AutoCloseable {
        /** Waits for a datagram, takes those waiting behind it too; 0 when nothing came in the wake-up time. */
        int receive(Socket socket) throws IOException;

        /** The {@code i}th datagram's bytes, at most {@code maxQuery} of them. */
        byte[] packet(int i);

        /** The {@code i}th datagram's sender; null for an address of another family (dropped). */
        InetSocketAddress sender(int i);

        /** Queues an answer to the {@code i}th datagram's sender; false when longer than a slot. */
        boolean queue(Socket socket, int i, byte[] answer) throws IOException;

        /** Sends an answer to the {@code i}th datagram's sender at once. */
        void sendNow(Socket socket, int i, byte[] answer) throws IOException;

        /** Sends the queued answers; an answer the kernel refuses is skipped. */
        void flush(Socket socket) throws IOException;

        @Override
        void close();
    }

    /** Single answers to an address (forwards' answers, from the reply thread). */
    interface Sender extends AutoCloseable {
        void send(Socket socket, byte[] answer, InetSocketAddress to) throws IOException;

        @Override
        void close();
    }

    /** The batched sockets here, or null. */
    UdpBatching INSTANCE = Loaded.INSTANCE;
    /** Why {@link #INSTANCE} is null; null when it is not. */
    String UNAVAILABLE = Loaded.UNAVAILABLE;

    /** Loads {@code NativeUdp} if this build has it and this JVM can run it. */
    final class Loaded {
        static final UdpBatching INSTANCE;
        static final String UNAVAILABLE;

        static {
            UdpBatching found = null;
            String why;
            try {
                found = (UdpBatching) Class.forName("org.omamori.dns.NativeUdp", true, UdpBatching.class.getClassLoader())
                        .getDeclaredConstructor().newInstance();
                why = found.unavailable();
            } catch (ClassNotFoundException e) {
                why = "built by a JDK older than 22";
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                why = "Java " + Runtime.version().feature() + ": " + e; // e.g. UnsupportedClassVersionError on 21
            }
            INSTANCE = why == null ? found : null;
            UNAVAILABLE = why;
        }

        private Loaded() {
        }
    }
}
