package org.omamori.engine.appid;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.appid.ndpi.Ndpi;
import org.omamori.engine.appid.ndpi.PacketList;

/**
 * Application identification: what application each connection is, as nDPI names it, recorded
 * as a passing verdict with one finding {@code app:<category>:<slug>} (never a block, 000 §4.2).
 * HTTP and DNS are decided on the request's facts; TLS and other TCP connections look at the
 * first bytes of each direction (at most {@value Payloads#MAX_PAYLOAD} each), falling back to
 * the server name for TLS. Nothing identified: a clean verdict.
 */
public final class AppIdEngine implements Engine {

    public static final String ID = "appid-ndpi";
    /** How long an inspection waits for a free nDPI module before it gives up on identifying. */
    static final long WAIT_MILLIS = 20;

    private final EngineDescriptor descriptor;
    private final Ndpi ndpi;
    private final LongAdder identified = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder busy = new LongAdder();

    /** Takes {@code ndpi}; closing it stays the caller's. */
    public AppIdEngine(String version, Ndpi ndpi) {
        this.descriptor = new EngineDescriptor(ID, version, Set.of(SecurityFunction.APPLICATION_IDENTIFICATION));
        this.ndpi = ndpi;
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        if (!request.wants(SecurityFunction.APPLICATION_IDENTIFICATION)) {
            return Inspection.decided(Verdict.clean());
        }
        Connection c = request.connection();
        return switch (request.protocol()) {
            case HTTP -> {
                byte[] head = Payloads.httpHead(request);
                yield Inspection.decided(identify(PacketList.tcp(c.source(), c.sourcePort(), c.destination(),
                        port(c, 80), head, head.length, null, 0), "host"));
            }
            case DNS -> {
                String name = request.dnsName().isEmpty() ? request.host() : request.dnsName();
                if (name.isEmpty()) {
                    yield Inspection.decided(Verdict.clean());
                }
                byte[] query = Payloads.dnsQuery(name);
                yield Inspection.decided(identify(PacketList.udp(c.source(), c.sourcePort(), c.destination(),
                        port(c, 53), query, query.length, null, 0), "dns"));
            }
            case TLS -> new StreamIdentification(this, request, true);
            case OTHER -> new StreamIdentification(this, request, false);
        };
    }

    private static int port(Connection c, int otherwise) {
        return c.destinationPort() == 0 ? otherwise : c.destinationPort();
    }

    /** The verdict nDPI's view of these packets makes; {@code basis} goes into the note. */
    Verdict identify(PacketList packets, String basis) {
        Optional<Ndpi.Detection> found = ndpi.identify(packets, System.currentTimeMillis(), WAIT_MILLIS);
        if (found.isEmpty()) {
            busy.increment();
            return Verdict.clean();
        }
        Ndpi.Detection d = found.get();
        if (d.unknown()) {
            unknown.increment();
            return Verdict.clean();
        }
        identified.increment();
        String name = ndpi.protocolName(d.mostSpecific());
        AppCategory category = AppCategory.of(name, ndpi.categoryName(d.category()));
        // nDPI's give-up answer is a guess from what it saw (or remembers of the hosts): less sure.
        int confidence = d.gaveUp() ? 50 : 90;
        return Verdict.pass(new Finding("app:" + category.id() + ":" + AppSlug.of(name), name, Level.LOW, confidence,
                Evidence.NONE)).withNote(basis);
    }

    /** Connections identified since start. */
    public long identified() {
        return identified.sum();
    }

    /** Connections nDPI could not name. */
    public long unknown() {
        return unknown.sum();
    }

    /** Connections not identified because every nDPI module was busy. */
    public long busy() {
        return busy.sum();
    }
}
