package org.omamori.ids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventIds;
import org.omamori.events.EventSink;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.ids.capture.CaptureException;
import org.omamori.ids.capture.CaptureReader;
import org.omamori.ids.capture.CapturedPacket;

/**
 * Replays a capture through an inspection pipeline, as the appliance would have inspected the
 * traffic live: TCP connections are reassembled and HTTP/1.x exchanges on them streamed to the
 * pipeline; DNS queries over UDP are inspected by name. Each result becomes events through the
 * same {@link EventFactory} as on the live path, stamped with the capture's time, and goes to
 * the sink. Client addresses are in the LAN zone and servers in the WAN, unless a home network
 * is given: then addresses inside it are LAN and all others WAN.
 *
 * <p>One replay per instance, on one thread. Memory is bounded by {@link ReplayLimits}.
 */
public final class Replay implements SessionHost {

    /**
     * How to replay.
     *
     * @param homeNet   the LAN's address ranges; empty: clients are LAN, servers WAN
     * @param limits    memory bounds
     * @param logAccess whether clean URL-filter passes become access-log events (as the DNS filter does live)
     * @param appliance the appliance id written into events
     * @param midstream whether a TCP connection whose handshake the capture does not hold is picked up
     *                  and inspected (Suricata's {@code stream.midstream}); when not, it is counted and
     *                  left alone, as Suricata leaves it with {@code stream.midstream: false}
     */
    public record Options(Optional<HomeNet> homeNet, ReplayLimits limits, boolean logAccess, ApplianceId appliance,
                          boolean midstream) {

        /** The id events of an offline replay carry unless told otherwise. */
        public static final ApplianceId OFFLINE = new ApplianceId("000000000000");

        public static final Options DEFAULTS = new Options(Optional.empty(), ReplayLimits.DEFAULTS, false, OFFLINE);

        /** Connections picked up mid-stream. */
        public Options(Optional<HomeNet> homeNet, ReplayLimits limits, boolean logAccess, ApplianceId appliance) {
            this(homeNet, limits, logAccess, appliance, true);
        }

        public Options withMidstream(boolean pickUp) {
            return new Options(homeNet, limits, logAccess, appliance, pickUp);
        }
    }

    /** The rule id of the replay's own evasion events (docs/ids-replay.md, "Evasions"). */
    public static final String EVASION_RULE = "ids:http-evasion";

    private static final int TOP_RULES = 10;
    private static final int CHECK_EVERY = 1 << 12;

    private final Pipeline pipeline;
    private final Options options;
    private final EventSink sink;
    private final CaptureClock clock = new CaptureClock();
    private final EventFactory events;
    private final ReplayCounters counters = new ReplayCounters();
    private final PacketDecoder.Packet packet = new PacketDecoder.Packet();
    private final LinkedHashMap<TcpFlow.Key, TcpFlow> flows = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<String, Long> byResult = new HashMap<>();
    private final Map<String, Long> byFunction = new HashMap<>();
    private final Map<String, long[]> byRule = new HashMap<>();
    private final Map<String, String> ruleNames = new HashMap<>();
    private long eventCount;
    private long threats;
    private int openInspections;
    private long now = Long.MIN_VALUE;
    private boolean used;

    public Replay(Pipeline pipeline, Options options, EventSink sink) {
        this.pipeline = pipeline;
        this.options = options;
        this.sink = sink;
        this.events = new EventFactory(options.appliance(), new EventIds(clock), clock);
    }

    /**
     * Reads the capture to its end or to the first damage, inspecting as it goes, and returns the
     * summary; damage ends the reading but not the replay: what was read is reported, with the
     * reason in {@link ReplaySummary#error()}.
     *
     * @throws IOException when the file cannot be read (not: when it is not a valid capture)
     */
    public ReplaySummary run(CaptureReader reader, ReplayProgress progress) throws IOException {
        if (used) {
            throw new IllegalStateException("a Replay runs once");
        }
        used = true;
        CaptureException error = null;
        try {
            for (CapturedPacket p; (p = reader.next()) != null; ) {
                packet(p);
                if (counters.packets % CHECK_EVERY == 0) {
                    expireIdle();
                    progress.update(counters.packets, reader.offset());
                }
            }
        } catch (CaptureException e) {
            error = e;
        } finally {
            for (Iterator<TcpFlow> it = flows.values().iterator(); it.hasNext(); ) {
                TcpFlow f = it.next();
                it.remove();
                f.close();
            }
        }
        progress.update(counters.packets, reader.offset());
        return summary(reader.format().toString(), error);
    }

    // ---- packets ------------------------------------------------------------------------------

    private void packet(CapturedPacket p) {
        counters.packets++;
        counters.bytes += p.data().length;
        if (p.timeNanos() > now) {
            now = p.timeNanos();
        }
        clock.nanos = p.timeNanos();
        PacketDecoder.Outcome outcome = PacketDecoder.decode(p.linkType(), p.data(), packet);
        switch (outcome) {
            case TCP -> tcp(p.data());
            case UDP -> udp(p.data());
            default -> counters.outcome(outcome);
        }
        if (p.cut()) {
            counters.cutPackets++;
        }
    }

    private void tcp(byte[] data) {
        Endpoint src = packet.source();
        Endpoint dst = packet.destination();
        TcpFlow.Key key = TcpFlow.Key.of(src, dst);
        TcpFlow flow = flows.get(key);
        int flags = packet.flags;
        boolean syn = (flags & PacketDecoder.SYN) != 0;
        boolean ack = (flags & PacketDecoder.ACK) != 0;
        if (flow != null && syn && !ack && src.equals(flow.client) && flow.sawData()) {
            flows.remove(key); // the port pair is used again for a new connection
            flow.close();
            flow = null;
        }
        if (flow == null) {
            if (!syn && packet.payloadLength == 0) {
                return; // an ACK, FIN or RST of a connection not tracked (any more)
            }
            boolean clientSends = syn ? !ack : midstreamClientSends(src, dst, data, packet.payloadOffset, packet.payloadLength);
            flow = newFlow(key, clientSends ? src : dst, clientSends ? dst : src, clientSends, !(syn && !ack));
        }
        flow.lastSeen = now;
        flow.segment(src.equals(flow.client), packet.seq, flags, data, packet.payloadOffset, packet.payloadLength);
        if (flow.closed()) {
            flows.remove(key);
        }
    }

    /**
     * Without a SYN: whether the sender of this first segment is the client. Its bytes tell when
     * they start an HTTP request or response; else the ports do.
     */
    private static boolean midstreamClientSends(Endpoint src, Endpoint dst, byte[] data, int offset, int length) {
        if (length > 0) {
            if (HeadBuffer.startsLikeRequest(data, offset, length)) {
                return true;
            }
            if (length >= 5 && data[offset] == 'H' && data[offset + 1] == 'T' && data[offset + 2] == 'T'
                    && data[offset + 3] == 'P' && data[offset + 4] == '/') {
                return false;
            }
        }
        return !serverLike(src, dst);
    }

    /** Without a SYN: is {@code a} the server? A well-known port talking to a higher one, or the usual web ports. */
    private static boolean serverLike(Endpoint a, Endpoint b) {
        boolean aWeb = isWebPort(a.port());
        boolean bWeb = isWebPort(b.port());
        if (aWeb != bWeb) {
            return aWeb;
        }
        return a.port() < 1024 && b.port() >= 1024;
    }

    private static boolean isWebPort(int port) {
        return port == 80 || port == 8080 || port == 8000 || port == 3128 || port == 8008;
    }

    private TcpFlow newFlow(TcpFlow.Key key, Endpoint client, Endpoint server, boolean macIsClients, boolean midstream) {
        if (flows.size() >= options.limits().maxFlows()) {
            Iterator<TcpFlow> eldest = flows.values().iterator();
            TcpFlow old = eldest.next();
            eldest.remove();
            old.close();
            counters.flowsEvicted++;
        }
        counters.tcpFlows++;
        Connection connection = connection(client, server, macIsClients);
        StreamSession session;
        if (midstream && !options.midstream()) {
            counters.midstreamIgnored++;
            session = StreamSession.IGNORED;
        } else {
            session = new SniffingSession(this, counters, options.limits(), connection, server);
        }
        TcpFlow flow = new TcpFlow(key, client, server, session, counters, options.limits());
        flows.put(key, flow);
        return flow;
    }

    private void expireIdle() {
        long idle = options.limits().idleTimeout().toNanos();
        for (Iterator<TcpFlow> it = flows.values().iterator(); it.hasNext(); ) {
            TcpFlow f = it.next();
            if (now - f.lastSeen <= idle) {
                break; // access order: the rest were active more recently
            }
            it.remove();
            f.close();
            counters.flowsIdleClosed++;
        }
    }

    private void udp(byte[] data) {
        int offset = packet.payloadOffset;
        int length = packet.payloadLength;
        if (packet.dstPort != 53 && packet.srcPort != 53) {
            counters.udpOther++;
            return;
        }
        DnsQuestion.Kind kind = DnsQuestion.kind(data, offset, length);
        if (packet.srcPort == 53 && packet.dstPort != 53 || kind == DnsQuestion.Kind.RESPONSE) {
            counters.dnsResponses++;
            return;
        }
        String name = kind == DnsQuestion.Kind.QUERY ? DnsQuestion.name(data, offset, length) : null;
        if (name == null) {
            counters.dnsMalformed++;
            return;
        }
        counters.dnsQueries++;
        message(InspectionRequest.dns(name).connection(connection(packet.source(), packet.destination(), true)).build(),
                data, offset, length);
    }

    @Override
    public void message(InspectionRequest request, byte[] payload, int offset, int length) {
        StreamingInspection inspection = open(request);
        if (inspection == null) {
            counters.httpOverLimit++;
            return;
        }
        try {
            inspection.body(Direction.REQUEST, ByteBuffer.wrap(payload, offset, length));
            inspection.endOfBody(Direction.REQUEST);
        } finally {
            finish(request, inspection);
        }
    }

    private Connection connection(Endpoint client, Endpoint server, boolean macIsClients) {
        ZonePair zones = ZonePair.LAN_TO_WAN;
        if (options.homeNet().isPresent()) {
            HomeNet home = options.homeNet().get();
            zones = new ZonePair(home.contains(client) ? Zone.LAN : Zone.WAN, home.contains(server) ? Zone.LAN : Zone.WAN);
        }
        Optional<MacAddress> mac = macIsClients && packet.srcMac >= 0 && zones.from().equals(Zone.LAN)
                ? Optional.of(new MacAddress(packet.srcMac)) : Optional.empty();
        return new Connection(zones, client.address(), client.port(), server.address(), server.port(), mac);
    }

    // ---- results ------------------------------------------------------------------------------

    @Override
    public StreamingInspection open(InspectionRequest request) {
        if (openInspections >= options.limits().maxOpenInspections()) {
            return null;
        }
        openInspections++;
        return pipeline.open(request);
    }

    @Override
    public void finish(InspectionRequest request, StreamingInspection inspection) {
        try {
            report(request, inspection.result());
        } finally {
            inspection.close();
            openInspections--;
        }
    }

    /** The replay's own finding: a response the proxy would refuse, inspected as the browser would have seen it. */
    @Override
    public void evasion(InspectionRequest request, java.util.Set<String> quirks) {
        counters.httpEvasions++;
        Event e = events.intake(request, SecurityFunction.IPS, EVASION_RULE,
                "HTTP response an inline proxy refuses as ambiguous (inspected as a browser decodes it)",
                Result.PASS, Level.MEDIUM, Evidence.SUSPICIOUS, String.join("; ", quirks));
        record(e);
        sink.publish(List.of(e));
    }

    private void report(InspectionRequest request, PipelineResult result) {
        List<Event> made = events.of(request, result, options.logAccess());
        if (made.isEmpty()) {
            return;
        }
        made.forEach(this::record);
        sink.publish(made);
    }

    private void record(Event e) {
        eventCount++;
        byResult.merge(e.result().wire(), 1L, Long::sum);
        byFunction.merge(e.function().id(), 1L, Long::sum);
        if (e.kind() == Kind.THREAT && e.result() != Result.NOT_SCANNED) {
            threats++;
        }
        if (!e.ruleId().isEmpty()) {
            byRule.computeIfAbsent(e.ruleId(), k -> new long[1])[0]++;
            ruleNames.putIfAbsent(e.ruleId(), e.ruleName());
        }
    }

    private ReplaySummary summary(String format, CaptureException error) {
        Map<String, Long> skipped = new LinkedHashMap<>();
        counters.outcomes.forEach((o, n) -> skipped.put(o.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), n));
        if (counters.udpOther > 0) {
            skipped.put("other UDP", counters.udpOther);
        }
        if (counters.dnsMalformed > 0) {
            skipped.put("malformed DNS", counters.dnsMalformed);
        }
        List<ReplaySummary.RuleCount> top = new ArrayList<>();
        byRule.forEach((id, n) -> top.add(new ReplaySummary.RuleCount(id, ruleNames.get(id), n[0])));
        top.sort((a, b) -> a.events() != b.events() ? Long.compare(b.events(), a.events()) : a.ruleId().compareTo(b.ruleId()));
        Map<String, Long> reassembly = new LinkedHashMap<>();
        put(reassembly, "bytes in order", counters.reassembledBytes);
        put(reassembly, "out-of-order segments", counters.outOfOrderSegments);
        put(reassembly, "retransmitted bytes", counters.retransmittedBytes);
        put(reassembly, "gaps", counters.gaps);
        put(reassembly, "gap bytes", counters.gapBytes);
        put(reassembly, "connections picked up mid-stream", counters.midstreamStarts);
        put(reassembly, "connections left alone mid-stream (--no-midstream)", counters.midstreamIgnored);
        put(reassembly, "non-HTTP connections", counters.otherTcpFlows);
        put(reassembly, "HTTP parse errors", counters.httpParseErrors);
        put(reassembly, "HTTP messages cut short", counters.httpIncomplete);
        put(reassembly, "HTTP requests unanswered", counters.httpUnansweredRequests);
        put(reassembly, "HTTP responses without request", counters.httpUnsolicitedResponses);
        put(reassembly, "HTTP tunnels", counters.httpTunnels);
        put(reassembly, "HTTP responses decoded leniently (evasions)", counters.httpEvasions);
        put(reassembly, "packets cut by the snapshot length", counters.cutPackets);
        put(reassembly, "connections idle-closed", counters.flowsIdleClosed);
        put(reassembly, "DNS responses", counters.dnsResponses);
        put(reassembly, "TLS ClientHellos", counters.tlsClientHellos);
        Map<String, Long> limits = new LinkedHashMap<>();
        put(limits, "connections closed early (over " + options.limits().maxFlows() + " at once)", counters.flowsEvicted);
        put(limits, "bytes dropped (out-of-order data over the memory bound)", counters.overLimitBytes);
        put(limits, "bytes dropped (too far ahead of the stream)", counters.outOfWindowBytes);
        put(limits, "HTTP requests not inspected (too many open)", counters.httpOverLimit);
        return new ReplaySummary(format, counters.packets, counters.bytes, skipped, counters.tcpFlows, counters.httpFlows,
                counters.httpRequests, counters.httpResponses, counters.dnsQueries, eventCount, threats, byResult,
                byFunction, top.subList(0, Math.min(TOP_RULES, top.size())), reassembly, limits, Optional.ofNullable(error));
    }

    private static void put(Map<String, Long> map, String name, long value) {
        if (value != 0) {
            map.put(name, value);
        }
    }

    /** The time of the packet being replayed, so events carry the capture's time. */
    private static final class CaptureClock extends Clock {
        long nanos;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        }

        @Override
        public long millis() {
            return Math.floorDiv(nanos, 1_000_000L);
        }
    }
}
