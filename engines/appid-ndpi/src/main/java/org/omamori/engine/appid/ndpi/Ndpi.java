package org.omamori.engine.appid.ndpi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * nDPI for many threads: a fixed pool of detection modules (each used by one thread at a time,
 * as nDPI requires), borrowed for one identification. Names are asked of nDPI once and cached.
 */
public final class Ndpi implements AutoCloseable {

    private final BlockingQueue<Long> modules;
    private final long namer; // one module kept for name look-ups only, under its own lock
    private final int size;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentHashMap<Integer, String> protocolNames = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, String> categoryNames = new ConcurrentHashMap<>();

    private Ndpi(int size, String protocols) {
        this.size = size;
        this.modules = new ArrayBlockingQueue<>(size);
        long n = NdpiNative.newModule(protocols);
        if (n == 0) {
            throw new IllegalStateException("nDPI could not make a detection module (out of memory, or "
                    + PROTOCOLS + " refused)");
        }
        namer = n;
        for (int i = 0; i < size; i++) {
            long m = NdpiNative.newModule(protocols);
            if (m == 0) {
                close();
                throw new IllegalStateException("nDPI could not make a detection module (out of memory)");
            }
            modules.add(m);
        }
    }

    /** The bundle's extra host rules (applications nDPI 4.2 does not name), read by each module. */
    private static final String PROTOCOLS = "omamori-protocols.txt";

    /** Why nDPI cannot be used here (not installed, shim not loadable), or empty when it can. */
    public static Optional<String> unavailable() {
        return NdpiNative.load();
    }

    /**
     * Opens {@code modules} detection modules (about 2 MB of native memory each, made in a few
     * milliseconds). Throws {@link IllegalStateException} with the reason when nDPI is unavailable.
     */
    public static Ndpi open(int modules) {
        if (modules < 1 || modules > 64) {
            throw new IllegalArgumentException("modules must be 1..64: " + modules);
        }
        Optional<String> problem = NdpiNative.load();
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        // nDPI reads its protocols file by path: the bundle's copy goes to a temporary file for the start.
        Path file = null;
        try (InputStream in = Ndpi.class.getResourceAsStream(PROTOCOLS)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks " + PROTOCOLS);
            }
            file = Files.createTempFile("omamori-ndpi-", ".txt");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return new Ndpi(modules, file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot hand " + PROTOCOLS + " to nDPI: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file of a few hundred bytes
                }
            }
        }
    }

    /** nDPI's own version string, e.g. {@code 4.2.0}. */
    public static String revision() {
        String r = NdpiNative.load().isEmpty() ? NdpiNative.revision() : null;
        return r == null ? "" : r;
    }

    /** The libndpi file in use. */
    public static String library() {
        return NdpiNative.library();
    }

    public int modules() {
        return size;
    }

    /**
     * Runs the packets through a fresh flow on a free module, waiting at most {@code waitMillis}
     * for one. Empty when every module stayed busy or the pool is closed.
     */
    public Optional<Detection> identify(PacketList packets, long timeMillis, long waitMillis) {
        Long module;
        try {
            module = modules.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (module == null) {
            return Optional.empty();
        }
        int[] out = new int[4];
        try {
            if (closed.get()) {
                return Optional.empty();
            }
            int done = NdpiNative.identify(module, packets.data(), packets.lengths(), packets.count(), timeMillis, out);
            if (done < 0) {
                return Optional.empty();
            }
        } finally {
            if (closed.get()) {
                NdpiNative.freeModule(module);
            } else {
                modules.add(module);
                if (closed.get()) { // closed meanwhile: its drain may have missed this one
                    Long m;
                    while ((m = modules.poll()) != null) {
                        NdpiNative.freeModule(m);
                    }
                }
            }
        }
        return Optional.of(new Detection(out[0], out[1], out[2], out[3] != 0));
    }

    /** nDPI's name of a protocol id, e.g. {@code YouTube}; {@code Unknown} for 0. */
    public String protocolName(int id) {
        return protocolNames.computeIfAbsent(id, k -> {
            synchronized (this) {
                String name = closed.get() ? null : NdpiNative.protocolName(namer, k);
                return name == null ? "Unknown" : name;
            }
        });
    }

    /** nDPI's name of a category, e.g. {@code Media}, {@code Chat}. */
    public String categoryName(int category) {
        return categoryNames.computeIfAbsent(category, k -> {
            synchronized (this) {
                String name = closed.get() ? null : NdpiNative.categoryName(namer, k);
                return name == null ? "Unspecified" : name;
            }
        });
    }

    /** Frees the modules; identifications in flight finish on theirs, which they then free. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Long m;
            while ((m = modules.poll()) != null) {
                NdpiNative.freeModule(m);
            }
            synchronized (this) {
                NdpiNative.freeModule(namer);
            }
        }
    }

    /**
     * What nDPI made of a flow.
     *
     * @param master   the carrying protocol (e.g. TLS, HTTP, DNS), 0 when none
     * @param app      the application (e.g. YouTube), or the protocol itself when nothing more specific
     * @param category nDPI's category number
     * @param gaveUp   nDPI decided only when told no more packets come
     */
    public record Detection(int master, int app, int category, boolean gaveUp) {

        public boolean unknown() {
            return master == 0 && app == 0;
        }

        /** The most specific protocol: the application when known, else the carrier. */
        public int mostSpecific() {
            return app != 0 ? app : master;
        }
    }
}
