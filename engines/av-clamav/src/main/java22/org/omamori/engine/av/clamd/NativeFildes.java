package org.omamori.engine.av.clamd;

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
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import org.omamori.engine.av.clamd.DescriptorPassing.Failure.Step;

/**
 * {@link DescriptorPassing} through the C library, for Linux on x86-64 and AArch64 (the layouts of
 * {@code struct msghdr} and {@code struct cmsghdr} written here): {@code memfd_create} holds the
 * body, {@code F_ADD_SEALS} fixes it before clamd gets it, {@code sendmsg} with
 * {@code SCM_RIGHTS} passes it the way {@code clamdscan --fdpass} does. Compiled for Java 22 (the
 * foreign-function API is final there); writes and reads take the caller's heap buffers directly
 * ({@code Linker.Option.critical}), so the body is copied once, into the memory file.
 */
final class NativeFildes implements DescriptorPassing {

    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDTIMEO = 21;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int SHUT_RDWR = 2;
    static final int MFD_CLOEXEC = 1;
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    /** No more seals, no shrinking, no growing, no writing: clamd maps exactly what was scanned. */
    static final int SEALS = 1 | 2 | 4 | 8;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EPIPE = 32;
    static final int ECONNRESET = 104;
    static final int ECONNREFUSED = 111;
    /** {@code sockaddr_un}: the family and 108 bytes of path, NUL-terminated. */
    static final int SOCKADDR_UN = 110;

    record Calls(MethodHandle memfdCreate, MethodHandle write, MethodHandle pread, MethodHandle lseek,
                 MethodHandle fcntl, MethodHandle socket, MethodHandle setsockopt, MethodHandle connect,
                 MethodHandle send, MethodHandle sendmsg, MethodHandle recv, MethodHandle shutdown,
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

    /** Made by {@link DescriptorPassing.Loaded}, reflectively. */
    NativeFildes() {
    }

    @Override
    public String unavailable() {
        return UNAVAILABLE;
    }

    @Override
    public Held hold() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(C.capture());
            int fd = (int) C.memfdCreate().invokeExact(capture, arena.allocateFrom("omamori-av"), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd < 0) {
                throw new IOException("memfd_create failed (errno " + errno(capture) + ")");
            }
            return new NativeHeld(fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Calls link() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        StructLayout capture = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = capture.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        java.util.function.BiFunction<String, FunctionDescriptor, MethodHandle> call = (name, fd) -> linker.downcallHandle(
                find(libc, name), fd, errno);
        // Short, non-blocking calls on the body's bytes: the heap array is passed as it is, not copied.
        Linker.Option heap = Linker.Option.critical(true);
        return new Calls(
                call.apply("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                linker.downcallHandle(find(libc, "write"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), heap),
                linker.downcallHandle(find(libc, "pread"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), heap),
                call.apply("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT)),
                linker.downcallHandle(find(libc, "fcntl"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                        errno, Linker.Option.firstVariadicArg(2)),
                call.apply("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)),
                call.apply("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)),
                call.apply("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)),
                call.apply("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)),
                call.apply("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT)),
                call.apply("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)),
                call.apply("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)),
                call.apply("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
                capture, errnoHandle);
    }

    private static MemorySegment find(SymbolLookup libc, String name) {
        return libc.find(name).orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library"));
    }

    static int errno(MemorySegment capture) {
        return (int) C.errno().get(capture, 0L);
    }

    /** One memory file and, during {@link #scan}, one socket to clamd. */
    private static final class NativeHeld implements Held {
        private final int memfd;
        private long size;
        /** Guarded by this: calls using {@link #memfd} now, and whether it is to be closed when they end. */
        private int inUse;
        private boolean closing;
        private boolean aborted;
        /** The socket of a scan in progress, for {@link #abort}; -1 when none. Guarded by this. */
        private int socket = -1;

        NativeHeld(int memfd) {
            this.memfd = memfd;
        }

        private synchronized void enter() throws IOException {
            if (closing) {
                throw new IOException("the held body was closed");
            }
            inUse++;
        }

        private void exit() {
            boolean last;
            synchronized (this) {
                last = --inUse == 0 && closing;
            }
            if (last) {
                closeFd(memfd);
            }
        }

        @Override
        public void write(ByteBuffer data) throws IOException {
            enter();
            try {
                // A read-only view (what the proxy hands over) is passed as it is: the kernel only reads it.
                MemorySegment bytes = MemorySegment.ofBuffer(data);
                long done = 0;
                while (done < bytes.byteSize()) {
                    long n = (long) C.write().invokeExact(memfd, bytes.asSlice(done), bytes.byteSize() - done);
                    if (n <= 0) {
                        throw new IOException("cannot hold the body in memory for clamd (write to memfd returned " + n + ")");
                    }
                    done += n;
                }
                size += done;
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                exit();
            }
        }

        @Override
        public int read(long offset, ByteBuffer into) throws IOException {
            enter();
            try {
                long n = (long) C.pread().invokeExact(memfd, MemorySegment.ofBuffer(into), (long) into.remaining(), offset);
                if (n < 0) {
                    throw new IOException("cannot read the held body back (pread returned " + n + ")");
                }
                into.position(into.position() + (int) n);
                return (int) n;
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                exit();
            }
        }

        @Override
        public String scan(Path path, long timeoutNanos, int maxReply) throws Failure {
            try {
                enter();
            } catch (IOException e) {
                throw new Failure(Step.ABORTED, e.getMessage());
            }
            int fd = -1;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment capture = arena.allocate(C.capture());
                if ((int) C.fcntl().invokeExact(capture, memfd, F_ADD_SEALS, SEALS) != 0) {
                    throw new Failure(Step.SYSTEM, "cannot seal the held body (errno " + errno(capture) + ")");
                }
                long ignored = (long) C.lseek().invokeExact(capture, memfd, 0L, 0); // clamd reads from the shared offset
                fd = (int) C.socket().invokeExact(capture, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (fd < 0) {
                    throw new Failure(Step.SYSTEM, "socket failed (errno " + errno(capture) + ")");
                }
                synchronized (this) {
                    if (aborted) {
                        throw new Failure(Step.ABORTED, "the scan was aborted");
                    }
                    socket = fd;
                }
                long deadline = System.nanoTime() + timeoutNanos;
                timeout(arena, capture, fd, SO_SNDTIMEO, timeoutNanos);
                byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
                if (name.length >= SOCKADDR_UN - 2) {
                    throw new Failure(Step.CONNECT, "the local socket path is too long for sockaddr_un: " + path);
                }
                MemorySegment address = arena.allocate(SOCKADDR_UN);
                address.set(JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(name, 0, address, JAVA_BYTE, 2, name.length);
                while ((int) C.connect().invokeExact(capture, fd, address, SOCKADDR_UN) != 0) {
                    int e = errno(capture);
                    if (e != EINTR) {
                        throw new Failure(e == EAGAIN ? Step.TIMEOUT : Step.CONNECT, "connect failed (errno " + e + connectError(e) + ")");
                    }
                }
                MemorySegment command = arena.allocateFrom("zFILDES"); // with its NUL, as clamdscan sends it
                try {
                    sendAll(capture, fd, command);
                    sendDescriptor(arena, capture, fd);
                } catch (Failure f) {
                    if (f.step != Step.CLOSED_WITHOUT_REPLY) {
                        throw f;
                    }
                    // clamd answered and hung up before taking the descriptor (it does not know FILDES, or is
                    // at a limit): its answer is still there to read, and says which.
                    return reply(arena, capture, fd, Math.min(deadline, System.nanoTime() + 200_000_000L), maxReply);
                }
                return reply(arena, capture, fd, deadline, maxReply);
            } catch (Failure | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                if (fd >= 0) {
                    synchronized (this) {
                        socket = -1;
                    }
                    closeFd(fd);
                }
                exit();
            }
        }

        private void sendDescriptor(Arena arena, MemorySegment capture, int fd) throws Throwable {
            // One NUL byte of data carries the descriptor (SCM_RIGHTS), as clamdscan's send_fdpass does.
            MemorySegment dummy = arena.allocate(1);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, dummy);
            iov.set(JAVA_LONG, 8, 1L);
            MemorySegment control = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int))
            control.set(JAVA_LONG, 0, 20L); // CMSG_LEN(sizeof(int))
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            control.set(JAVA_INT, 16, memfd);
            MemorySegment message = arena.allocate(56, 8); // struct msghdr, no name
            message.set(ADDRESS, 16, iov);
            message.set(JAVA_LONG, 24, 1L);
            message.set(ADDRESS, 32, control);
            message.set(JAVA_LONG, 40, 24L);
            while ((long) C.sendmsg().invokeExact(capture, fd, message, MSG_NOSIGNAL) != 1) {
                int e = errno(capture);
                if (e != EINTR) {
                    throw new Failure(sendStep(e), "sendmsg failed (errno " + e + ")");
                }
            }
        }

        private void sendAll(MemorySegment capture, int fd, MemorySegment data) throws Throwable {
            long done = 0;
            while (done < data.byteSize()) {
                long n = (long) C.send().invokeExact(capture, fd, data.asSlice(done), data.byteSize() - done, MSG_NOSIGNAL);
                if (n < 0) {
                    int e = errno(capture);
                    if (e == EINTR) {
                        continue;
                    }
                    throw new Failure(sendStep(e), "send failed (errno " + e + ")");
                }
                done += n;
            }
        }

        /** Reads until the NUL; each wait bounded by what is left of the deadline. */
        private String reply(Arena arena, MemorySegment capture, int fd, long deadline, int maxReply) throws Throwable {
            MemorySegment buffer = arena.allocate(maxReply);
            long have = 0;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new Failure(Step.TIMEOUT, "no answer to FILDES in time");
                }
                timeout(arena, capture, fd, SO_RCVTIMEO, left);
                if (have == maxReply) {
                    throw new Failure(Step.REPLY_TOO_LONG, "the reply to FILDES is longer than " + maxReply + " bytes");
                }
                long n = (long) C.recv().invokeExact(capture, fd, buffer.asSlice(have), maxReply - have, 0);
                if (n < 0) {
                    int e = errno(capture);
                    if (e == EINTR) {
                        continue;
                    }
                    synchronized (this) {
                        if (aborted) {
                            throw new Failure(Step.ABORTED, "the scan was aborted");
                        }
                    }
                    throw new Failure(e == EAGAIN ? Step.TIMEOUT : Step.CLOSED_WITHOUT_REPLY, "recv failed (errno " + e + ")");
                }
                if (n == 0) {
                    synchronized (this) {
                        if (aborted) {
                            throw new Failure(Step.ABORTED, "the scan was aborted");
                        }
                    }
                    throw new Failure(Step.CLOSED_WITHOUT_REPLY, have == 0 ? "clamd closed the connection without answering"
                            : "the reply ended without its NUL terminator");
                }
                for (long i = have; i < have + n; i++) {
                    if (buffer.get(JAVA_BYTE, i) == 0) {
                        return new String(buffer.asSlice(0, i).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
                    }
                }
                have += n;
            }
        }

        /** The connect errors a fallback to TCP is logged with, named. */
        private static String connectError(int errno) {
            return switch (errno) {
                case ENOENT -> ": no such file";
                case EACCES -> ": permission denied";
                case ECONNREFUSED -> ": connection refused";
                default -> "";
            };
        }

        /** A closed peer is a lost connection (clamd restarting), not a clamd that refuses descriptors. */
        private static Step sendStep(int errno) {
            return errno == EAGAIN ? Step.TIMEOUT : errno == EPIPE || errno == ECONNRESET ? Step.CLOSED_WITHOUT_REPLY : Step.SEND;
        }

        private static void timeout(Arena arena, MemorySegment capture, int fd, int option, long nanos) throws Throwable {
            MemorySegment timeval = arena.allocate(16, 8);
            long micros = Math.max(1, nanos / 1000);
            timeval.set(JAVA_LONG, 0, micros / 1_000_000);
            timeval.set(JAVA_LONG, 8, micros % 1_000_000);
            if ((int) C.setsockopt().invokeExact(capture, fd, SOL_SOCKET, option, timeval, 16) != 0) {
                throw new Failure(Step.SYSTEM, "setsockopt failed (errno " + errno(capture) + ")");
            }
        }

        @Override
        public void abort() {
            synchronized (this) {
                aborted = true;
                if (socket >= 0) {
                    shutdown(socket); // wakes a blocked connect, send or recv; the scanning thread closes it
                }
            }
        }

        @Override
        public void close() {
            boolean now;
            synchronized (this) {
                if (closing) {
                    return;
                }
                closing = true;
                now = inUse == 0;
            }
            abort();
            if (now) {
                closeFd(memfd);
            }
        }

        private static void shutdown(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) C.shutdown().invokeExact(arena.allocate(C.capture()), fd, SHUT_RDWR);
            } catch (Throwable t) {
                // nothing more to do: the scan ends at its deadline
            }
        }

        private static void closeFd(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) C.close().invokeExact(arena.allocate(C.capture()), fd);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
