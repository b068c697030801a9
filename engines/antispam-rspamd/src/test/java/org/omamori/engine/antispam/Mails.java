package org.omamori.engine.antispam;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

/**
 * Mails for the tests, handed to an engine the way the SMTP intake does (docs/antispam.md):
 * one request per mail with method SMTP, the envelope as pseudo-headers, the mail as request
 * body chunks with CRLF line ends, then the end of the body and the verdict.
 */
final class Mails {

    static final ZonePair INBOUND = new ZonePair(Zone.WAN, Zone.LAN);
    private static final Pattern ADDRESS = Pattern.compile("<([^>]+)>|^\\s*(\\S+@\\S+)\\s*$");

    private Mails() {
    }

    /** A corpus mail with CRLF line ends; its Date is now, as a mail arriving now carries (rspamd scores old or future dates). */
    static byte[] corpus(String name) {
        try (InputStream in = Mails.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus mail " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
            text = text.replaceFirst("(?m)^Date: .*$", "Date: " + now);
            return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The envelope sender and recipient as the mail's From and To say. */
    static InspectionRequest request(byte[] mail, ZonePair zones) {
        String text = new String(mail, StandardCharsets.UTF_8);
        String from = address(text, "From");
        String to = address(text, "To");
        return request(zones, "mail." + from.substring(from.indexOf('@') + 1), from, List.of(to));
    }

    static InspectionRequest request(ZonePair zones, String helo, String from, List<String> rcpts) {
        InspectionRequest.Builder b = InspectionRequest.other().method("SMTP").functions(Set.of(SecurityFunction.ANTISPAM))
                .connection(connection(zones)).header(Header.SMTP_HELO, helo).header(Header.SMTP_MAIL_FROM, from);
        rcpts.forEach(r -> b.header(Header.SMTP_RCPT_TO, r));
        return b.build();
    }

    static Connection connection(ZonePair zones) {
        try {
            return new Connection(zones, InetAddress.getByName("203.0.113.25"), 40123, InetAddress.getByName("192.0.2.1"), 25,
                    Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String address(String mail, String field) {
        String head = mail.substring(0, Math.max(0, mail.indexOf("\r\n\r\n"))).replaceAll("\r\n[ \t]+", " "); // unfolded
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith(field + ": ")) {
                Matcher m = ADDRESS.matcher(line.substring(field.length() + 2));
                if (m.find()) {
                    return m.group(1) != null ? m.group(1) : m.group(2);
                }
            }
        }
        throw new IllegalArgumentException("the mail has no " + field + " address");
    }

    /** Runs one mail through the engine in chunks of {@code chunkSize}, as the intake streams it. */
    static Verdict scan(Engine engine, InspectionRequest request, byte[] mail, int chunkSize) {
        try (Inspection inspection = engine.inspect(request)) {
            for (int at = 0; at < mail.length; at += chunkSize) {
                inspection.body(Direction.REQUEST, ByteBuffer.wrap(mail, at, Math.min(chunkSize, mail.length - at)).asReadOnlyBuffer());
            }
            inspection.endOfBody(Direction.REQUEST);
            return inspection.verdict();
        }
    }

    /** A plain English mail of about {@code size} bytes (lines of ordinary words). */
    static byte[] plain(int size) {
        StringBuilder b = new StringBuilder("From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: notes from the meeting\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: <notes-1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n");
        List<String> words = new ArrayList<>(List.of("the", "meeting", "notes", "budget", "review", "schedule", "team", "project",
                "release", "plan", "will", "next", "week", "and", "we", "agreed", "on", "a", "draft"));
        int i = 0;
        while (b.length() < size) {
            for (int w = 0; w < 12; w++) {
                b.append(words.get((i * 7 + w * 3) % words.size())).append(' ');
            }
            b.append("\r\n");
            i++;
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
