package org.omamori.dns;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.events.EventTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What happens to one query, whatever transport brought it: admission against the limits,
 * parsing (FORMERR for what is not a query), the pipeline's verdict on the name, the block
 * answer or the upstream's (through the cache), and its events, folded per window by an
 * {@link EventTally} (allowed names: one event per name, category and client; blocked names: the
 * first at once, repeats counted). Thread-safe; the listeners call {@link #admit} and
 * {@link #handle} on their receiving threads; only a query that must wait for the upstream goes to
 * another thread. Close it to publish the counts held and the queued events.
 */
public final class DnsFilter implements AutoCloseable {

    /** Where an answer goes. */
    @FunctionalInterface
    public interface Replies {
        void send(byte[] answer) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DnsFilter.class);
    private static final int EDNS_PAYLOAD = 1232;
    /** Events waiting for the sink (a few MB): a quarter of a second of a flood, many batches of the publisher. */
    private static final int EVENT_QUEUE = 8_192;

    private final DnsFilterSettings settings;
    private final Pipeline pipeline;
    private final EventFactory events;
    private final EventQueue queued;
    private final EventTally tally;
    private final DnsCounters counters = new DnsCounters();

    DnsCounters counters() {
        return counters;
    }
    private final ClientLimits limits;
    private final AnswerCache cache;
    private final UpstreamClient upstream;
    private final SecureRandom ids = new SecureRandom();
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedLog limitLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedLog upstreamLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedLog sendLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);

    public DnsFilter(DnsFilterSettings settings, Pipeline pipeline, EventFactory events, EventSink sink) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.events = Objects.requireNonNull(events, "events");
        this.queued = new EventQueue(Objects.requireNonNull(sink, "sink"), counters, EVENT_QUEUE);
        this.tally = new EventTally(settings.eventWindow(), settings.eventMaxKeys(), System::nanoTime, this::enqueue)
                .threatsAlone(settings.eventBlocksAlone())
                .start("dns-event-window");
        this.limits = new ClientLimits(settings);
        this.cache = new AnswerCache(settings.cacheMaxEntries(), settings.cacheMaxTtl(), System::nanoTime);
        this.upstream = new UpstreamClient(settings.upstreams(), settings.upstreamTimeout());
    }

    public DnsStats stats() {
        return counters.snapshot();
    }

    /** Answers in the cache now. */
    public int cachedAnswers() {
        return cache.size();
    }

    DnsFilterSettings settings() {
        return settings;
    }

    /**
     * First look at a packet, on the receiving thread: counts it, drops what is not a query
     * (shorter than a header, or a response), and checks the client's and the global limits.
     * Over a limit the query is answered REFUSED or dropped, per {@link DnsFilterSettings#overLimit()}.
     *
     * @return a ticket to pass to {@link #handle} and close afterwards, or null when done with the packet
     */
    ClientLimits.Ticket admit(byte[] packet, Client client, Replies out) {
        counters.queries.increment();
        if (packet.length < DnsWire.HEADER || DnsWire.isResponse(packet)) {
            counters.malformed.increment();
            malformedLog.warn("DNS packet dropped in zone {}: {}", client.zone(),
                    packet.length < DnsWire.HEADER ? packet.length + " bytes, shorter than a DNS header" : "a response, not a query");
            return null;
        }
        LoadShedding memory = Shedding.current();
        if (memory.shedding()) { // past the memory budget (docs/operations.md "Memory budget"): REFUSED, counted, logged
            memory.refused("dns");
            limitLog.warn("DNS queries refused in zone {}: memory budget, {}", client.zone(), memory.reason());
            send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_REFUSED));
            return null;
        }
        ClientLimits.Admission admission = limits.admit(client.address());
        if (admission instanceof ClientLimits.Ticket ticket) {
            return ticket;
        }
        ClientLimits.Refusal refusal = (ClientLimits.Refusal) admission;
        (refusal == ClientLimits.Refusal.CLIENT_RATE ? counters.refusedRate : counters.refusedInFlight).increment();
        limitLog.warn("DNS queries over the limit in zone {}: {} ({} per client and second, {} in flight per client, {} in all)",
                client.zone(), refusal, settings.clientRate(), settings.clientInFlight(), settings.maxInFlight());
        if (settings.overLimit() == OverLimit.REFUSE) {
            send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_REFUSED));
        }
        return null;
    }

    /** Answers an admitted query and publishes its access-log event, all on the calling thread (TCP: answers in order). */
    void handle(byte[] packet, Client client, Replies out) {
        answer(packet, client, out, null, null);
    }

    /**
     * Answers an admitted query and publishes its access-log event. Block answers and cached
     * answers are given on the calling thread; a query that must be forwarded is handed to
     * {@code forwarders} (it waits for the network) when given. The ticket is closed when the
     * answer has been sent, by whichever thread sent it.
     */
    void handle(byte[] packet, Client client, Replies out, ClientLimits.Ticket ticket, Executor forwarders) {
        boolean handedOff = false;
        try {
            handedOff = answer(packet, client, out, forwarders, ticket);
        } finally {
            if (!handedOff && ticket != null) {
                ticket.close();
            }
        }
    }

    /**
     * Runs a forward on {@code forwarders} (which closes the ticket when it is done); false when
     * there are none or they refuse it (shutting down): then the caller runs it. Not a lambda made
     * per query: most queries are answered without a forward.
     */
    private static boolean handOff(Executor forwarders, ClientLimits.Ticket ticket, Runnable forward) {
        if (forwarders == null) {
            return false;
        }
        try {
            forwarders.execute(() -> {
                try (ticket) {
                    forward.run();
                }
            });
            return true;
        } catch (RejectedExecutionException e) { // shutting down
            return false;
        }
    }

    /** @return whether the rest of the work was handed off */
    private boolean answer(byte[] packet, Client client, Replies out, Executor forwarders, ClientLimits.Ticket ticket) {
        // The common query is read from the wire; anything unusual gets dnsjava's full parse (same answers).
        Message query = null;
        Question question = Question.readPlain(packet, packet.length);
        if (question == null) {
            try {
                query = new Message(packet);
            } catch (IOException | RuntimeException e) {
                counters.malformed.increment();
                malformedLog.warn("malformed DNS query in zone {} ({} bytes): {}; answered FORMERR", client.zone(), packet.length, e.getMessage());
                send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_FORMERR));
                return false;
            }
            question = question(query, packet, client, out);
            if (question == null) {
                return false;
            }
        } else if (question.transfer()) {
            counters.notImplemented.increment();
            send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_REFUSED));
            return false;
        }
        int questionEnd = question.questionEnd();

        InspectionRequest request = request(question.name(), client, upstream.first().getAddress());
        PipelineResult result = null;
        try {
            result = pipeline.inspect(request);
        } catch (RuntimeException e) {
            // The pipeline does not throw by contract; if it does, the query is not held hostage.
            LOG.error("DNS query in zone {} not inspected, forwarded: {}", client.zone(), e.toString());
        }
        int maxSize = question.maxAnswerSize(client.transport());
        byte[] answer;
        if (result != null && result.verdict().action() == Action.BLOCK) {
            counters.blocked.increment();
            answer = query == null
                    ? question.blockAnswer(packet, settings)
                    : blockAnswer(query, settings, maxSize);
        } else {
            String key = cache.enabled() ? DnsWire.cacheKey(packet, questionEnd, question.edns(), question.dnssecOk()) : null;
            answer = key == null ? null : cache.get(key, packet, questionEnd, maxSize);
            if (answer != null) {
                counters.cacheHits.increment();
            } else {
                PipelineResult decided = result;
                Runnable forward = () -> {
                    send(out, forward(packet, questionEnd, client, maxSize, key));
                    if (decided != null) {
                        publish(request, decided);
                    }
                };
                if (handOff(forwarders, ticket, forward)) {
                    return true;
                }
                forward.run();
                return false;
            }
        }
        send(out, answer);
        if (result != null) {
            publish(request, result);
        }
        return false;
    }

    /**
     * The inspection request of a query: what {@code InspectionRequest.dns(name).connection(...).build()}
     * makes (the name, also as the host; the connection from the client, in its zone, to the upstream's
     * port 53), without the builder's own objects: one is made per query.
     */
    static InspectionRequest request(String name, Client client, java.net.InetAddress upstream) {
        ZonePair zones = client.zone().equals(Zone.LAN) ? ZonePair.LAN_TO_WAN : new ZonePair(client.zone(), Zone.WAN);
        return new InspectionRequest(new Connection(zones, client.address(), client.port(), upstream, 53, Optional.empty()),
                Protocol.DNS, name, "", "", List.of(), name, "", Set.of());
    }

    /**
     * The question of a query that dnsjava parsed, or null when it was answered here: NOTIMP for an
     * opcode other than QUERY, FORMERR unless there is exactly one question spelt out, REFUSED for
     * a zone transfer.
     */
    private Question question(Message query, byte[] packet, Client client, Replies out) {
        Header header = query.getHeader();
        if (header.getOpcode() != Opcode.QUERY) {
            counters.notImplemented.increment();
            send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_NOTIMP));
            return null;
        }
        Record question = query.getQuestion();
        int questionEnd = DnsWire.questionEnd(packet, packet.length);
        if (question == null || header.getCount(Section.QUESTION) != 1 || questionEnd < 0) {
            counters.malformed.increment();
            malformedLog.warn("DNS query in zone {} with {} questions; answered FORMERR", client.zone(), header.getCount(Section.QUESTION));
            send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_FORMERR));
            return null;
        }
        int type = question.getType();
        if (type == Type.AXFR || type == Type.IXFR) {
            counters.notImplemented.increment();
            send(out, DnsWire.headerOnly(packet, DnsWire.RCODE_REFUSED));
            return null;
        }
        return Question.of(query, questionEnd);
    }

    /** The block answer made with dnsjava, for queries {@link Question#readPlain} leaves to the full parse. */
    static byte[] blockAnswer(Message query, DnsFilterSettings settings, int maxSize) {
        Record question = query.getQuestion();
        Message r = new Message(query.getHeader().getID());
        Header h = r.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        r.addRecord(question, Section.QUESTION);
        if (settings.blockMode() == BlockMode.NXDOMAIN) {
            h.setRcode(Rcode.NXDOMAIN);
        } else if (question.getDClass() == DClass.IN && question.getType() == Type.A) {
            r.addRecord(new ARecord(question.getName(), DClass.IN, settings.blockTtl(), settings.blockV4()), Section.ANSWER);
        } else if (question.getDClass() == DClass.IN && question.getType() == Type.AAAA) {
            r.addRecord(new AAAARecord(question.getName(), DClass.IN, settings.blockTtl(), settings.blockV6()), Section.ANSWER);
        }
        if (query.getOPT() != null) {
            r.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return r.toWire(maxSize);
    }

    /** The upstream's answer (kept in the cache under {@code key} when not null), or SERVFAIL. */
    private byte[] forward(byte[] packet, int questionEnd, Client client, int maxSize, String key) {
        byte[] forward = packet.clone();
        DnsWire.setId(forward, ids.nextInt(65_536));
        counters.forwarded.increment();
        byte[] answer;
        try {
            answer = upstream.ask(forward, questionEnd, client.transport() == Transport.TCP);
        } catch (IOException e) {
            counters.upstreamFailures.increment();
            upstreamLog.warn("no upstream resolver answered ({}); answered SERVFAIL", e.toString());
            return withQuestion(packet, questionEnd, DnsWire.RCODE_SERVFAIL, false);
        }
        if (key != null) {
            cache.put(key, answer);
        }
        DnsWire.setId(answer, DnsWire.id(packet));
        System.arraycopy(packet, DnsWire.HEADER, answer, DnsWire.HEADER, questionEnd - DnsWire.HEADER);
        if (answer.length > maxSize) {
            return withQuestion(answer, questionEnd, DnsWire.rcode(answer), true);
        }
        return answer;
    }

    /** The header and question of {@code message} as an answer with that rcode and no records; TC when asked. */
    private static byte[] withQuestion(byte[] message, int questionEnd, int rcode, boolean truncated) {
        byte[] r = java.util.Arrays.copyOf(message, questionEnd);
        r[2] = (byte) (0x80 | (message[2] & 0x79) | (truncated ? 0x02 : 0));
        r[3] = (byte) (0x80 | (message[3] & 0x10) | (rcode & 0x0f));
        for (int i = 6; i < DnsWire.HEADER; i++) {
            r[i] = 0;
        }
        r[4] = 0;
        r[5] = 1;
        return r;
    }

    private void send(Replies out, byte[] answer) {
        try {
            out.send(answer);
            counters.answered.increment();
        } catch (IOException e) {
            sendLog.warn("DNS answer not sent: {}", e.toString());
        }
    }

    /**
     * Counts the query's events in the tally; an allowed name or a repeated block whose key the
     * tally holds is counted without making its event (docs/dns-filter.md "Events").
     */
    private void publish(InspectionRequest request, PipelineResult result) {
        try {
            tally.count(events, request, result, true);
        } catch (RuntimeException e) {
            counters.eventFailures.increment();
            LOG.debug("DNS access-log event not made: {}", e.toString());
        }
    }

    /** Events the tally lets out, to the publisher's queue. */
    private void enqueue(List<Event> list) {
        counters.events.add(list.size());
        queued.offer(list);
    }

    /** Publishes the counts held and the events still queued, and stops the publisher. */
    @Override
    public void close() {
        tally.close();
        queued.close();
    }
}
