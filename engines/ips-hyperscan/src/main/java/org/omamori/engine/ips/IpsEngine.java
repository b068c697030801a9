package org.omamori.engine.ips;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPS engine without its OSGi clothes: the compiled rule set in force, inspections on it,
 * and reloading. A new rule set is parsed and compiled on a background thread and swapped in
 * whole; inspections in flight keep the set they started on (reference counted, so its native
 * databases are freed after the last of them); a set that fails leaves the old one in force.
 */
public final class IpsEngine implements Engine, AutoCloseable {

    public static final String ENGINE_ID = "ips";

    private static final Logger LOG = LoggerFactory.getLogger(IpsEngine.class);
    private static final Inspection CLEAN = Inspection.decided(Verdict.clean());

    private final EngineDescriptor descriptor;
    private final ExecutorService compiler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ips-rules-compiler");
        t.setDaemon(true);
        return t;
    });
    private volatile CompiledRules rules = CompiledRules.empty();
    private volatile IpsSettings settings;

    public IpsEngine(String version, IpsSettings settings) {
        this.descriptor = new EngineDescriptor(ENGINE_ID, version, Set.of(SecurityFunction.IPS));
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        if (!request.wants(SecurityFunction.IPS)) {
            return CLEAN;
        }
        CompiledRules current;
        do {
            current = rules; // a set released by a swap meanwhile cannot be retained: take the new one
        } while (!current.retain());
        try {
            return new IpsInspection(current, settings, request);
        } catch (RuntimeException | Error e) {
            current.release();
            throw e;
        }
    }

    /**
     * Pcre searches of the rule set in force that ran out of their regex budget or stack on
     * hostile bytes (answered by Hyperscan where it reads the pcre, else counted as not matched).
     */
    public long pcreLimitHits() {
        return rules.pcreLimitHits();
    }

    /**
     * Alerts of the rule set in force held back by their rule's {@code threshold} or
     * {@code detection_filter}, or by threshold.config ({@code suppress}, {@code threshold},
     * a {@code rate_filter} to pass): the rule matched, its flowbits were set, only the alert was not given.
     */
    public long thresholdSuppressed() {
        return rules.thresholds.suppressed();
    }

    /** Lines of threshold.config that had no effect on the rule set in force (file:line: why; also logged). */
    public java.util.List<String> thresholdNotes() {
        return rules.thresholdNotes();
    }

    /** The threshold counters of the rule set in force (tests set their clock). */
    Thresholds thresholds() {
        return rules.thresholds;
    }

    /** The report of the rule set in force. */
    public RuleSetReport report() {
        return rules.report;
    }

    /** Loads a rule set on the calling thread (activation); a failure is logged, the old set stays. */
    public boolean loadNow(RuleSetSource source, IpsSettings newSettings) {
        try {
            swapIn(source.compile(newSettings), newSettings);
            return true;
        } catch (Exception e) {
            LOG.error("IPS rules not loaded from {}: {}; {}", source, e.getMessage(), keptMessage());
            return false;
        }
    }

    /** Loads a rule set in the background and swaps it in when compiled; the old set stays on failure. */
    public CompletableFuture<RuleSetReport> reload(RuleSetSource source, IpsSettings newSettings) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    CompiledRules next = source.compile(newSettings);
                    swapIn(next, newSettings);
                    return next.report;
                } catch (Exception e) {
                    LOG.error("IPS rules not reloaded from {}: {}; {}", source, e.getMessage(), keptMessage());
                    throw new CompletionException(e);
                }
            }, compiler);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("IPS engine closed", e));
        }
    }

    private synchronized void swapIn(CompiledRules next, IpsSettings newSettings) {
        CompiledRules old = rules;
        settings = newSettings;
        rules = next;
        old.release();
        LOG.info("IPS rules in force: {}", next.report);
        next.report.errors().stream().limit(20).forEach(e -> LOG.warn("IPS rule not loaded: {}", e.getMessage()));
        next.thresholdNotes().stream().limit(20).forEach(n -> LOG.warn("IPS threshold.config: {}", n));
        if (!next.report.skippedByKeyword().isEmpty()) {
            LOG.info("IPS rules skipped by keyword: {}", next.report.skippedByKeyword());
        }
    }

    private String keptMessage() {
        RuleSetReport current = rules.report;
        return current.loaded() == 0 ? "running with no rules" : "keeping the rules in force (" + current + ")";
    }

    @Override
    public synchronized void close() {
        compiler.shutdownNow();
        CompiledRules old = rules;
        rules = CompiledRules.empty();
        old.release();
    }
}
