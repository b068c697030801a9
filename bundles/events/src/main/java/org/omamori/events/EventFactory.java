package org.omamori.events;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;

/**
 * Turns pipeline results into events. An engine result becomes an event when it says something:
 * a finding, a failure, or a note (e.g. not scanned). A clean pass of the URL filter becomes an
 * access-log event only when the intake asks for one (the DNS filter logs every query). Each
 * further verdict of an engine (every other rule that matched the same request) becomes an
 * event of its own, with its own finding, action and note.
 */
public final class EventFactory {

    /** The function of the appliance's own records. */
    public static final SecurityFunction SYSTEM = new SecurityFunction("system");

    private final ApplianceId appliance;
    private final EventIds ids;
    private final Clock clock;

    public EventFactory(ApplianceId appliance, EventIds ids, Clock clock) {
        this.appliance = appliance;
        this.ids = ids;
        this.clock = clock;
    }

    public EventFactory(ApplianceId appliance) {
        this(appliance, new EventIds(), Clock.systemUTC());
    }

    public ApplianceId appliance() {
        return appliance;
    }

    /** The events of one inspection. */
    public List<Event> of(InspectionRequest request, PipelineResult result, boolean logAccess) {
        List<Event> events = new ArrayList<>(result.results().size());
        for (EngineResult engine : result.results()) {
            if (!says(engine, logAccess)) {
                continue;
            }
            Verdict verdict = engine.verdict();
            events.add(event(facts(request, engine, verdict, engine.failed()), request.connection().sourcePort(), clock.instant()));
            for (Verdict further : verdict.further()) {
                events.add(event(facts(request, engine, further, false), request.connection().sourcePort(), clock.instant()));
            }
        }
        return events;
    }

    /**
     * Whether an engine result becomes events: when it has a finding, failed or has a note, and a
     * clean pass of the URL filter when {@code logAccess}. Such a result is one event of
     * {@link #facts facts(request, engine, engine.verdict(), engine.failed())} and one more for each
     * of its further verdicts ({@code facts(request, engine, further, false)}), as {@link #of} makes them.
     */
    public static boolean says(EngineResult engine, boolean logAccess) {
        Verdict verdict = engine.verdict();
        return verdict.finding().isPresent() || engine.failed() || !verdict.note().isEmpty()
                || logAccess && engine.engine().serves(SecurityFunction.URL_FILTERING);
    }

    /**
     * What the event of one verdict of an engine on a request says, without the event: the key
     * of {@link EventTally#everyFact()}, equal to {@link EventFacts#of} of the event {@link #of} makes.
     */
    public EventFacts facts(InspectionRequest request, EngineResult engine, Verdict verdict, boolean failed) {
        Optional<Finding> found = verdict.finding();
        Finding finding = found.isPresent() ? found.get() : null;
        Evidence evidence = finding == null ? Evidence.NONE : finding.evidence();
        // What the appliance did: an item let through uninspected is "not scanned"; one blocked
        // because it could not be inspected (fail closed) is a block.
        Result result = switch (verdict.action()) {
            case PASS -> failed || evidence.equals(Evidence.UNSCANNED) ? Result.NOT_SCANNED : Result.PASS;
            case NEUTRALISE -> Result.NEUTRALISE;
            case BLOCK -> Result.BLOCK;
        };
        Kind kind = result == Result.PASS && evidence.equals(Evidence.NONE) ? Kind.ACCESS : Kind.THREAT;
        String note = failed ? join(engine.error(), verdict.note()) : verdict.note();
        SecurityFunction function = functionOf(request, engine);
        Connection c = request.connection();
        String dnsName = cut(request.dnsName(), Event.MAX_NAME);
        String host = request.host() == request.dnsName() ? dnsName : cut(request.host(), Event.MAX_NAME); // DNS: the name twice
        return new EventFacts(kind, c.zones(), c.source(), c.destination(), c.destinationPort(), c.sourceMac(),
                host, cut(request.url(), Event.MAX_URL), dnsName,
                function, cut(engine.engine().id(), Event.MAX_TEXT), cut(engine.engine().version(), Event.MAX_TEXT),
                cut(finding == null ? "" : finding.ruleId(), Event.MAX_TEXT),
                cut(finding == null ? "" : finding.ruleName(), Event.MAX_TEXT),
                result, finding == null ? Level.LOW : finding.level(), finding == null ? 100 : finding.confidence(),
                evidence, cut(note, Event.MAX_TEXT));
    }

    /** The event of {@code facts}: one occurrence at {@code time} from the client's {@code sourcePort}, with a new id. */
    public Event event(EventFacts facts, int sourcePort, Instant time) {
        return facts.event(ids.next(), appliance, time, sourcePort);
    }

    /** Now, on the clock events are timed by. */
    public Instant now() {
        return clock.instant();
    }

    /** The function an engine result speaks for: the first the engine serves that the request wanted. */
    private static SecurityFunction functionOf(InspectionRequest request, EngineResult engine) {
        for (SecurityFunction f : engine.engine().functions()) {
            if (request.wants(f)) {
                return f;
            }
        }
        return engine.engine().functions().iterator().next();
    }

    /** The appliance's own record, e.g. a spool drop or a refused definitions package. */
    public Event system(String ruleId, String ruleName, Level level, String note) {
        InetAddress none = InetAddress.getLoopbackAddress();
        return new Event(ids.next(), appliance, clock.instant(), Kind.SYSTEM, new ZonePair(Zone.LAN, Zone.LAN), none, 0, none, 0, Optional.empty(),
                "", "", "", SYSTEM, "appliance", "", cut(ruleId, Event.MAX_TEXT), cut(ruleName, Event.MAX_TEXT),
                Result.PASS, level, 100, Evidence.NONE, cut(note, Event.MAX_TEXT));
    }

    /**
     * An intake's own finding about a connection, not an engine's: e.g. the web proxy's CONNECT
     * whose TLS server name differs from the CONNECT host, or a destination it refuses.
     */
    public Event intake(InspectionRequest request, SecurityFunction function, String ruleId, String ruleName,
                        Result result, Level level, Evidence evidence, String note) {
        Connection c = request.connection();
        return new Event(ids.next(), appliance, clock.instant(), Kind.THREAT, c.zones(),
                c.source(), c.sourcePort(), c.destination(), c.destinationPort(), c.sourceMac(),
                cut(request.host(), Event.MAX_NAME), cut(request.url(), Event.MAX_URL), cut(request.dnsName(), Event.MAX_NAME),
                function, "intake", "", cut(ruleId, Event.MAX_TEXT), cut(ruleName, Event.MAX_TEXT),
                result, level, 100, evidence, cut(note, Event.MAX_TEXT));
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a.isEmpty() ? b : a + "; " + b;
    }

    /**
     * Text for an event: control characters escaped first (a LAN client's URL or DNS name may
     * hold any byte, and the cloud refuses an event that still has one), then cut to the bound.
     */
    static String cut(String text, int max) {
        return EventText.cut(EventText.escape(text), max);
    }
}
