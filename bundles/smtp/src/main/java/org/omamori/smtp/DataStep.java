package org.omamori.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DATA step of one mail: its bytes streamed through the MIME walk (each leaf part to the
 * antivirus) and onto the spool, the whole mail to the antispam, the decision, and the hand-over
 * to the next hop. The client's
 * answer is the next hop's: 250 only after the next hop's 250. Events are published with the
 * final answer, never for a 4xx that the sender will retry (its retry brings the event).
 */
final class DataStep {

    private static final Logger LOG = LoggerFactory.getLogger(DataStep.class);
    private static final int CHUNK = 64 << 10;
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** The answer to the end of data, and whether the connection must close after it. */
    record Answer(Reply reply, boolean close) { }

    private final SmtpSettings settings;
    private final SmtpListener listener;
    private final InetSocketAddress nextHopAddress;
    private final Pipeline pipeline;
    private final EventFactory events;
    private final EventSink sink;
    private final MailQueue queue;

    /** {@code queue}: null when the queue is off. */
    DataStep(SmtpSettings settings, SmtpListener listener, InetSocketAddress nextHopAddress, Pipeline pipeline,
             EventFactory events, EventSink sink, MailQueue queue) {
        this.queue = queue;
        this.settings = settings;
        this.listener = listener;
        this.nextHopAddress = nextHopAddress;
        this.pipeline = pipeline;
        this.events = events;
        this.sink = sink;
    }

    /**
     * Reads the data (after 354) from {@code in}, decides and hands the mail on; {@code hopDown}:
     * the next hop could not be reached at RCPT, so the mail goes to the queue.
     */
    Answer receive(SmtpInput in, Envelope envelope, HopLink hop, boolean hopDown) throws IOException {
        Files.createDirectories(settings.spoolDirectory());
        Path file = Files.createTempFile(settings.spoolDirectory(), "mail-", ".eml");
        InspectionRequest request = request(envelope, Set.of(SecurityFunction.ANTIVIRUS)).build();
        MimeWalk.Outcome<PipelineResult> outcome;
        DataStream data;
        try {
            try (OutputStream spool = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
                data = new DataStream(in, spool, settings.maxMessageBytes(), settings.maxLineBytes());
                try {
                    outcome = MimeWalk.walk(data, settings, (entity, type, decoded) -> inspect(request, decoded));
                    data.drain();
                } catch (IOException e) {
                    if (causedBy(e, DataStream.TooLarge.class)) {
                        return new Answer(Reply.of(552, "5.3.4", "Message size exceeds the limit of "
                                + settings.maxMessageBytes() + " bytes; closing"), true);
                    }
                    throw e;
                }
            }
            return new Answer(decide(file, data, outcome, request, envelope, hop, hopDown), false);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The answer to DATA: refuse, defer, or deliver to the next hop (with notices) and pass on its answer. */
    private Reply decide(Path file, DataStream data, MimeWalk.Outcome<PipelineResult> outcome, InspectionRequest request,
                         Envelope envelope, HopLink hop, boolean hopDown) throws IOException {
        if (data.fault() != null) {
            return Reply.of(554, "5.6.0", "Message refused: it has " + data.fault());
        }
        if (outcome.fault() != null) {
            return Reply.of(554, "5.6.0", "Message refused: " + outcome.fault());
        }
        if (outcome.hops() > settings.maxHops()) {
            return Reply.of(554, "5.4.6", "Too many hops; the mail is looping");
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Asia/Tokyo"));
        AvDecision av = AvDecision.of(outcome, settings, request, events, now);
        if (av.refusal() != null) {
            if (av.refusal().permanent()) {
                sink.publish(av.events());
            }
            return av.refusal();
        }
        SpamCheck spam = SpamCheck.of(pipeline, request(envelope, Set.of()), envelope, file, events);
        List<Event> found = new ArrayList<>(av.events());
        found.addAll(spam.events());
        if (spam.refusal() != null) {
            if (spam.refusal().permanent()) {
                sink.publish(found);
            }
            return spam.refusal();
        }
        Map<Integer, String> notices = av.notices();
        NextHop.Body body = body(file, envelope, notices, spam.status(), now);
        Reply delivered = hopDown ? Reply.of(451, "4.4.1", "The receiving server is not reachable now")
                : hop.deliver(body, envelope.mail(), envelope.recipients());
        if (!delivered.positive() && !delivered.permanent() && queue != null) {
            // Inspected, so it is ours to keep: on the disk first, then 250.
            boolean queued;
            try {
                queued = queue.enqueue(envelope.mail(), envelope.recipients(), body);
            } catch (IOException e) {
                LOG.error("the mail could not be queued ({}); its sender keeps it", e.getMessage());
                return Reply.of(451, "4.3.0", "The mail could not be queued now; try again later");
            }
            if (!queued) {
                return Reply.of(451, "4.3.1", "The queue for the receiving server is full; try again later");
            }
            sink.publish(found);
            return Reply.of(250, "2.0.0", "Message accepted; the receiving server is not reachable now, it will be delivered later");
        }
        if (delivered.positive()) {
            sink.publish(found);
            return Reply.of(250, "2.0.0", notices.isEmpty() ? "Message accepted for delivery"
                    : "Message accepted for delivery; an infected attachment was replaced by a notice");
        }
        if (delivered.permanent()) {
            sink.publish(found);
        }
        return delivered;
    }

    /**
     * The mail as it goes on: a Received field first, then the spool file as received or rewritten
     * with the notices, marked as spam when {@code spamStatus} is set.
     */
    private NextHop.Body body(Path file, Envelope envelope, Map<Integer, String> notices, String spamStatus, ZonedDateTime now) {
        String received = "Received: from " + envelope.helo() + " ([" + envelope.client().getHostAddress() + "])\r\n\tby "
                + settings.hostname() + " (Omamori) with " + (envelope.tls() ? "ESMTPS" : "ESMTP") + ";\r\n\t"
                + now.format(RFC5322) + "\r\n";
        return out -> {
            out.write(received.getBytes(StandardCharsets.US_ASCII));
            SpamMark mark = spamStatus == null ? null : new SpamMark(out, spamStatus);
            OutputStream target = mark == null ? out : mark;
            try (InputStream mailIn = Files.newInputStream(file)) {
                if (notices.isEmpty()) {
                    mailIn.transferTo(target);
                } else {
                    MailWriter.rewrite(new BufferedInputStream(mailIn, CHUNK), settings, notices, target);
                }
            }
            if (mark != null) {
                mark.finish();
            }
        };
    }

    /** One leaf part through the pipeline's antivirus, chunk by chunk as it is decoded. */
    private PipelineResult inspect(InspectionRequest request, InputStream decoded) throws IOException {
        byte[] buffer = new byte[CHUNK];
        try (StreamingInspection inspection = pipeline.open(request)) {
            int n;
            while ((n = decoded.read(buffer)) > 0) {
                inspection.body(Direction.REQUEST, ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer());
            }
            return inspection.endOfBody(Direction.REQUEST);
        }
    }

    private InspectionRequest.Builder request(Envelope envelope, Set<SecurityFunction> functions) {
        InetAddress destination = nextHopAddress.getAddress() != null ? nextHopAddress.getAddress() : InetAddress.getLoopbackAddress();
        Connection c = new Connection(new ZonePair(listener.zone(), settings.nextHop().zone()), envelope.client(),
                envelope.clientPort(), destination, nextHopAddress.getPort(), Optional.empty());
        return InspectionRequest.other().connection(c).method("SMTP").host(envelope.mail().from().domain()).functions(functions);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
