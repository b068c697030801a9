package org.omamori.desk;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.notify.Mail;
import org.omamori.store.Tickets;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

/**
 * A mail to the desk, parsed and bounded: whatever a sender puts in a mail is hostile until here.
 * The body is the first text part (HTML reduced to its text), at most {@link Tickets#MAX_BODY}
 * characters; attachments are read up to one byte past {@link Tickets#MAX_ATTACHMENT} (the store
 * drops bigger ones with a note) and at most {@link #MAX_PARTS} parts are looked at; reference
 * headers are kept only when they look like Message-IDs.
 *
 * @param messageId  the mail's Message-ID, when it has a sound one
 * @param from       the sender's address, lower case
 * @param subject    the subject, one line
 * @param references In-Reply-To then References, newest first
 * @param token      the ticket token the subject carries ({@code [#token]})
 */
public record InboundMail(Optional<String> messageId, String from, String subject, List<String> references, Optional<String> token,
                          String body, List<Tickets.NewAttachment> attachments, Instant received) {

    /** The most MIME parts of one mail looked at (nested ones included). */
    public static final int MAX_PARTS = 50;
    private static final Pattern TOKEN = Pattern.compile("\\[#([a-z2-9]{10})\\]", Pattern.CASE_INSENSITIVE);
    private static final Pattern ID = Pattern.compile("<[^<>\\s]{1,240}>");

    public InboundMail {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subject, "subject");
        references = List.copyOf(references);
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(body, "body");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(received, "received");
    }

    /** Reads a mail; {@code received} when the server did not say. */
    public static InboundMail of(Message m, Instant received) throws MessagingException, IOException {
        String from = "";
        Address[] senders = m.getFrom();
        if (senders != null && senders.length > 0 && senders[0] instanceof InternetAddress a && a.getAddress() != null) {
            from = a.getAddress().strip().toLowerCase(Locale.ROOT);
        }
        String subject = org.omamori.backoffice.desk.Ticket.oneLine(m.getSubject() == null ? "" : m.getSubject());
        Optional<String> id = header(m, "Message-ID").stream().filter(i -> Mail.MESSAGE_ID.matcher(i).matches()).findFirst();
        List<String> refs = new ArrayList<>(header(m, "In-Reply-To"));
        List<String> older = new ArrayList<>(header(m, "References"));
        java.util.Collections.reverse(older);
        refs.addAll(older);
        Matcher t = TOKEN.matcher(subject);
        Optional<String> token = t.find() ? Optional.of(t.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
        Parts parts = new Parts();
        parts.walk(m, 0);
        Instant at = m.getReceivedDate() != null ? m.getReceivedDate().toInstant() : received;
        String body = parts.text == null ? "" : parts.text;
        if (body.length() > Tickets.MAX_BODY) {
            body = body.substring(0, Tickets.MAX_BODY);
        }
        return new InboundMail(id, from, subject, refs.stream().distinct().limit(20).toList(), token, body, parts.files, at);
    }

    private static List<String> header(Message m, String name) throws MessagingException {
        String[] values = m.getHeader(name);
        if (values == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String v : values) {
            Matcher x = ID.matcher(v.length() > 8192 ? v.substring(0, 8192) : v);
            while (x.find() && ids.size() < 20) {
                ids.add(x.group());
            }
        }
        return ids;
    }

    /** Walks the MIME tree once, bounded. */
    private static final class Parts {
        String text;
        boolean textIsHtml;
        final List<Tickets.NewAttachment> files = new ArrayList<>();
        int seen;

        void walk(Part p, int depth) throws MessagingException, IOException {
            if (++seen > MAX_PARTS || depth > 10) {
                return;
            }
            String disposition = p.getDisposition();
            String name = p.getFileName();
            if (p.isMimeType("multipart/*") && p.getContent() instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount() && seen <= MAX_PARTS; i++) {
                    BodyPart b = mp.getBodyPart(i);
                    walk(b, depth + 1);
                }
                return;
            }
            if (name == null && !Part.ATTACHMENT.equalsIgnoreCase(disposition) && p.isMimeType("text/*")) {
                boolean html = p.isMimeType("text/html");
                if (text == null || (textIsHtml && !html)) {
                    Object c = p.getContent();
                    String s = c instanceof String str ? str : "";
                    text = html ? s.replaceAll("(?is)<(script|style).*?</\\1>", "").replaceAll("<[^>]*>", "").replace("&nbsp;", " ")
                            .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") : s;
                    text = text.replace("\r\n", "\n");
                    textIsHtml = html;
                }
                return;
            }
            String file = name == null ? "attachment" : decode(name);
            try (InputStream in = p.getInputStream()) {
                byte[] bytes = in.readNBytes(Tickets.MAX_ATTACHMENT + 1);
                String type = p.getContentType() == null ? "application/octet-stream" : p.getContentType().split(";")[0].strip();
                files.add(new Tickets.NewAttachment(file, type, bytes));
            }
        }

        private static String decode(String name) {
            try {
                return MimeUtility.decodeText(name);
            } catch (java.io.UnsupportedEncodingException e) {
                return name;
            }
        }
    }

    @Override
    public String toString() {
        // Never the body, the attachments or the sender: logs must not carry a customer's words.
        return "InboundMail[" + messageId.orElse("(no id)") + ", " + attachments.size() + " attachments, " + body.length() + " chars]";
    }

}
