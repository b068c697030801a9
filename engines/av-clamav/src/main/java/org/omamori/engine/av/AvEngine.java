package org.omamori.engine.av;

import java.util.Objects;
import java.util.Set;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdLimits;
import org.omamori.http.ArrayPool;

/**
 * The antivirus engine without its OSGi clothes. Every body (downloads and uploads) is decoded
 * as the user's program will see it and streamed to clamd chunk by chunk as it passes; the
 * verdict comes when the body ends. A connection to clamd is opened per scan, so a restarted
 * clamd is simply used again by the next scan. Small bodies are held and looked up first: content
 * scanned a moment ago gets the same answer without another scan ({@link ScanCache}).
 */
public final class AvEngine implements Engine, AutoCloseable {

    public static final String ENGINE_ID = "av-clamav";

    /** What an unscanned body is, for the event and the cloud's grading (★★☆ when it passed). */
    static final Finding NOT_SCANNED = new Finding("av:not-scanned", "ウイルス未検査 / Not scanned for viruses", Level.MEDIUM,
            100, Evidence.UNSCANNED);

    /** Content the answer cache holds at most (it compares before it answers): pages and scripts of a small office. */
    static final long CACHED_CONTENT_BYTES = 8L << 20;

    private static final Inspection CLEAN = Inspection.decided(Verdict.clean());

    private final EngineDescriptor descriptor;
    private final AvSettings settings;
    private final Clamd clamd;
    private final ScanCache cache;
    /** Arrays small bodies are held in until looked up (decision 0013), reused from body to body. */
    private final ArrayPool heldArrays;

    public AvEngine(String version, AvSettings settings) {
        this.descriptor = new EngineDescriptor(ENGINE_ID, version, Set.of(SecurityFunction.ANTIVIRUS));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clamd = new Clamd(settings.clamd(), ClamdLimits.of(settings.scanTimeout(), settings.maxConnections(),
                settings.maxScanBytes()));
        this.cache = new ScanCache(settings.cacheTime().toNanos(), 65_536, CACHED_CONTENT_BYTES);
        this.heldArrays = new ArrayPool(AvInspection.HELD_SIZE, 64);
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        if (!request.wants(SecurityFunction.ANTIVIRUS) || request.protocol() == Protocol.TLS
                || request.protocol() == Protocol.DNS) {
            return CLEAN; // a TLS handshake or a DNS message carries no file to scan
        }
        return new AvInspection(clamd, cache, heldArrays, settings, request);
    }

    /** The verdict for a body that could not be scanned, as the fail policy says. */
    static Verdict notScanned(AvSettings settings, String why) {
        return settings.failOpen() ? Verdict.pass(NOT_SCANNED).withNote("not scanned: " + why)
                : Verdict.block(NOT_SCANNED).withNote("blocked because it could not be scanned: " + why);
    }

    /** The verdict for an infected body: neutralise, naming the signature. */
    static Verdict infected(String signature, String where) {
        Finding finding = new Finding("clamav:" + signature, signature, Level.HIGH, 100, Evidence.MALWARE);
        return Verdict.neutralise(finding).withNote("infected: " + signature + " in the " + where);
    }

    /** The clamd client this engine scans with (for its health check). */
    public Clamd clamd() {
        return clamd;
    }

    /** Forgets cached answers, e.g. when clamd has new signatures. */
    public void forgetAnswers() {
        cache.clear();
    }

    @Override
    public void close() {
        clamd.close();
    }
}
