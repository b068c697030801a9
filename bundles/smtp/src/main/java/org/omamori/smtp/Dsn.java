package org.omamori.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A delivery status notification (RFC 3464 multipart/report) for a queued mail that could not be
 * delivered: a text part (Japanese first, then English), the machine-readable status per
 * recipient, and the original mail's header fields only (never its body). It goes to the
 * envelope sender with the null sender {@code <>}, so it is never answered by another.
 */
final class Dsn {

    /** One recipient that failed, with our reply (the next hop's code and enhanced status, or our own when it expired). */
    record Failure(MailAddress recipient, Reply reply) { }

    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    private Dsn() {
    }

    static byte[] of(String hostname, MailAddress sender, long arrived, List<Failure> failures, byte[] originalHeaders,
                     boolean expired, Instant now) {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        String boundary = "omamori-dsn-" + UUID.randomUUID();
        String at = ZonedDateTime.ofInstant(Instant.ofEpochMilli(arrived), tokyo).format(SHOWN);
        StringBuilder who = new StringBuilder();
        for (Failure f : failures) {
            who.append("  ").append(f.recipient()).append(" (").append(f.reply().code()).append(' ').append(f.reply().status()).append(")\r\n");
        }
        String why = expired
                ? "受信側のサーバーに長い間つながらなかったため、配送をあきらめました。\r\n"
                : "受信側のサーバーが受け取りを拒否しました。\r\n";
        String whyEn = expired
                ? "The receiving server could not be reached for too long; delivery was given up.\r\n"
                : "The receiving server refused the mail.\r\n";
        String text = "【メールを配送できませんでした】\r\n"
                + at + " にお預かりしたメールを、次のあて先に配送できませんでした。\r\n" + who + why
                + "元のメールのヘッダーを添付します（本文は含みません）。\r\n"
                + "\r\n"
                + "[Your mail could not be delivered]\r\n"
                + "The mail received at " + at + " could not be delivered to:\r\n" + who + whyEn
                + "The original mail's header is attached (not its body).\r\n";
        StringBuilder status = new StringBuilder("Reporting-MTA: dns; ").append(hostname).append("\r\n")
                .append("Arrival-Date: ").append(ZonedDateTime.ofInstant(Instant.ofEpochMilli(arrived), tokyo).format(RFC5322))
                .append("\r\n");
        for (Failure f : failures) {
            status.append("\r\nFinal-Recipient: rfc822; ").append(f.recipient()).append("\r\n")
                    .append("Action: failed\r\n")
                    .append("Status: ").append(f.reply().status().isEmpty() ? "5.0.0" : f.reply().status()).append("\r\n")
                    .append(expired ? "" : "Diagnostic-Code: smtp; " + f.reply().code() + " " + f.reply().status() + "\r\n");
        }
        String subject = "=?UTF-8?B?" + Base64.getEncoder().encodeToString("配送できなかったメールのお知らせ".getBytes(StandardCharsets.UTF_8))
                + "?= / Undelivered mail returned to sender";
        String head = "From: Mail Delivery System <MAILER-DAEMON@" + hostname + ">\r\n"
                + "To: " + sender.path() + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: " + ZonedDateTime.ofInstant(now, tokyo).format(RFC5322) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: message/delivery-status\r\n"
                + "\r\n"
                + status
                + "\r\n--" + boundary + "\r\n"
                + "Content-Type: text/rfc822-headers\r\n"
                + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(originalHeaders);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
