package org.omamori.engine.urlfilter;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The URL-filtering engine without its OSGi clothes: the lists in force, the verdict for a
 * request, and reloading. The lists are one immutable {@link CategoryLists} behind a volatile
 * field: an inspection reads it once, a reload builds a new one on a background thread and
 * swaps it in whole, so inspections never see half-loaded lists and never wait for a load.
 */
public final class UrlFilter implements AutoCloseable {

    /** The engine id in the pipeline and in events. */
    public static final String ENGINE_ID = "urlfilter";

    /** A miss needs no per-request object. */
    private static final Inspection CLEAN = Inspection.decided(Verdict.clean());

    private static final Logger LOG = LoggerFactory.getLogger(UrlFilter.class);

    private final EngineDescriptor descriptor;
    private final ExecutorService loader;
    private volatile CategoryLists lists = CategoryLists.empty();

    /** @param version the engine version, usually the bundle version */
    public UrlFilter(String version) {
        this.descriptor = new EngineDescriptor(ENGINE_ID, version, Set.of(SecurityFunction.URL_FILTERING));
        this.loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "urlfilter-lists-loader");
            t.setDaemon(true);
            return t;
        });
    }

    public EngineDescriptor descriptor() {
        return descriptor;
    }

    /** This filter as a pipeline engine: it decides on the request facts and wants no body. */
    public Engine asEngine() {
        return new Engine() {
            @Override
            public EngineDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public Inspection inspect(InspectionRequest request) {
                Verdict verdict = UrlFilter.this.inspect(request);
                return verdict == Verdict.clean() ? CLEAN : Inspection.decided(verdict);
            }
        };
    }

    /**
     * The lists in force now. A swap releases them ({@link CategoryLists#release()}): a caller
     * that reads them while a reload may finish takes a hold first ({@link CategoryLists#retain()}).
     */
    public CategoryLists lists() {
        return lists;
    }

    /**
     * Loads lists on the calling thread (activation). On failure the lists in force stay
     * (none at start): the error is logged, not thrown, so the engine runs regardless.
     *
     * @return whether the new lists are now in force
     */
    public boolean loadNow(Path directory, long maxEntries) {
        try {
            swapIn(CategoryLists.load(directory, maxEntries, progressLog(directory)));
            return true;
        } catch (Exception | OutOfMemoryError e) {
            LOG.error("URL filter lists not loaded from {}: {}; {}", directory.toAbsolutePath(), describe(e), keptMessage());
            return false;
        }
    }

    /**
     * Loads lists on a background thread and swaps them in when complete. Reloads run one at a
     * time in the order asked. On failure the lists in force stay, the error is logged, and the
     * returned future completes exceptionally.
     */
    public CompletableFuture<CategoryLists> reload(Path directory, long maxEntries) {
        Objects.requireNonNull(directory, "directory");
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    CategoryLists loaded = CategoryLists.load(directory, maxEntries, progressLog(directory));
                    swapIn(loaded);
                    return loaded;
                } catch (Exception | OutOfMemoryError e) {
                    LOG.error("URL filter lists not reloaded from {}: {}; {}", directory.toAbsolutePath(), describe(e), keptMessage());
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, loader);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("URL filter closed", e));
        }
    }

    /**
     * Puts lists in force directly, e.g. lists the caller loaded itself: the filter takes over
     * the caller's hold on them and releases the lists it had in force.
     */
    public synchronized void swapIn(CategoryLists loaded) {
        CategoryLists old = lists;
        if (old == loaded) {
            return;
        }
        lists = Objects.requireNonNull(loaded, "loaded");
        old.release(); // the arrays go when the last inspection reading them ends
        LOG.info("URL filter lists in force: {}", loaded);
        for (ListProblem p : loaded.problems().subList(0, Math.min(20, loaded.problems().size()))) {
            LOG.warn("URL filter list line skipped: {}", p);
        }
        if (loaded.problemCount() > 20) {
            LOG.warn("URL filter: {} more list lines skipped", loaded.problemCount() - 20);
        }
    }

    /** Large list sets take seconds: say how far the load has come every million entries. */
    private static LoadProgress progressLog(Path directory) {
        return entries -> {
            if (entries > 0 && entries % 1_000_000 == 0) {
                LOG.info("URL filter lists loading from {}: {} entries so far", directory, entries);
            }
        };
    }

    private String keptMessage() {
        CategoryLists current = lists;
        return current.entries() == 0 && current.root().isEmpty() ? "running with no lists" : "keeping the lists in force (" + current + ")";
    }

    private static String describe(Throwable e) {
        return e instanceof java.nio.file.NoSuchFileException n ? "directory not found: " + n.getFile()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The verdict for a request: block for a blocking category, pass with a finding for a
     * log-only one, clean otherwise. HTTP requests are matched on host and URL path; TLS, DNS
     * and other requests on the host only. Allocates nothing for a miss on an ASCII host.
     */
    public Verdict inspect(InspectionRequest request) {
        if (!request.wants(SecurityFunction.URL_FILTERING)) {
            return Verdict.clean();
        }
        CategoryLists current;
        do {
            current = lists; // read once: one request, one set of lists (swapped out meanwhile: the new ones)
        } while (!current.retain());
        try {
            return inspect(request, current);
        } finally {
            current.release();
        }
    }

    private static Verdict inspect(InspectionRequest request, CategoryLists current) {
        String host = request.host();
        int code;
        if (request.protocol() == Protocol.HTTP) {
            code = current.find(host, request.url());
        } else if (!host.isEmpty()) {
            code = current.find(host, "");
        } else {
            return Verdict.clean();
        }
        if (code == CategoryLists.NO_MATCH) {
            return Verdict.clean();
        }
        return verdict(current, code);
    }

    /** The verdict for a match code of the given lists. */
    public static Verdict verdict(CategoryLists lists, int code) {
        // the category's finding made once per list load, not per lookup (its texts and hash too);
        // the note as describe(code) would spell it, without its UrlMatch and list-file string
        return new Verdict(lists.categoryOf(code).blocks() ? Action.BLOCK : Action.PASS, Optional.of(lists.findingOf(code)),
                lists.matchNote(code));
    }

    /** Stops the reload thread; a reload under way is interrupted and leaves the lists as they are. */
    @Override
    public void close() {
        loader.shutdownNow();
    }
}
