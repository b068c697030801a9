package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.api.text.Printable;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;

/**
 * The whole mail through the pipeline's antispam, once per mail, after the MIME walk and the
 * antivirus: the envelope as pseudo-headers ({@link Header#SMTP_HELO} and the others) and the
 * spool file (header and body as received, CRLF, not dot-stuffed) as the request body. With no
 * antispam engine the pipeline answers clean and nothing changes.
 *
 * @param refusal the answer when the mail is refused (550) or deferred (451), else null
 * @param status  the {@code X-Spam-Status} text when the mail is delivered marked as spam, else null
 * @param events  one per engine result that says something
 */
record SpamCheck(Reply refusal, String status, List<Event> events) {

    /** Longest verdict note kept in {@code X-Spam-Status}. */
    static final int MAX_NOTE = 200;
    private static final int CHUNK = 64 << 10;

    static SpamCheck of(Pipeline pipeline, InspectionRequest.Builder base, Envelope envelope, Path mail, EventFactory factory)
            throws IOException {
        InspectionRequest request = pseudoHeaders(base, envelope).functions(Set.of(SecurityFunction.ANTISPAM)).build();
        PipelineResult result;
        try (StreamingInspection inspection = pipeline.open(request); InputStream in = Files.newInputStream(mail)) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) > 0) {
                inspection.body(Direction.REQUEST, ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer());
            }
            result = inspection.endOfBody(Direction.REQUEST);
        }
        Verdict v = result.verdict();
        if (v.action() == Action.BLOCK && v.finding().map(Finding::evidence).orElse(Evidence.NONE).equals(Evidence.UNSCANNED)) {
            return new SpamCheck(Reply.of(451, "4.7.0", "The mail could not be checked for spam now; try again later"), null, List.of());
        }
        List<Event> events = factory.of(request, result, false);
        return switch (v.action()) {
            case BLOCK -> new SpamCheck(Reply.of(550, "5.7.1", "Message refused: it was judged to be spam"), null, events);
            case NEUTRALISE -> new SpamCheck(null, "Yes, " + note(v), events);
            default -> new SpamCheck(null, null, events);
        };
    }

    /** HELO name, envelope sender without brackets (empty for {@code <>}), one header per accepted recipient. */
    static InspectionRequest.Builder pseudoHeaders(InspectionRequest.Builder base, Envelope envelope) {
        base.header(Header.SMTP_HELO, envelope.helo());
        base.header(Header.SMTP_MAIL_FROM, envelope.mail().from().toString());
        for (MailAddress to : envelope.recipients()) {
            base.header(Header.SMTP_RCPT_TO, to.toString());
        }
        return base;
    }

    /** The verdict's note (or its rule's name) as one printable ASCII line, bounded. */
    static String note(Verdict v) {
        String note = v.note().isBlank() ? v.finding().map(Finding::ruleName).orElse("spam") : v.note();
        String shown = Printable.shown(note, MAX_NOTE);
        StringBuilder b = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
