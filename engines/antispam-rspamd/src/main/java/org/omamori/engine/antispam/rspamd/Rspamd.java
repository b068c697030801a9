package org.omamori.engine.antispam.rspamd;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import org.omamori.engine.antispam.rspamd.RspamdException.Kind;

/**
 * rspamd's normal worker at one address. Every scan opens its own connection (rspamd closes it
 * after the reply), so a restarted rspamd is simply used by the next mail. Thread-safe.
 *
 * @param address       where the normal worker listens (loopback)
 * @param timeout       the longest wait for one step: connecting, rspamd reading a chunk, its reply
 * @param maxReplyBytes the largest reply body accepted; a longer one is a protocol error
 */
public record Rspamd(InetSocketAddress address, Duration timeout, int maxReplyBytes) {

    /** Longest envelope header value passed on; longer ones (hostile or broken) are left out. */
    static final int MAX_HEADER_VALUE = 512;

    public Rspamd {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxReplyBytes < 1024) {
            throw new IllegalArgumentException("maxReplyBytes must be at least 1024: " + maxReplyBytes);
        }
    }

    /** Starts scanning a mail: connects and sends the request head; the mail follows in chunks. */
    public RspamdScan open(Envelope envelope) throws RspamdException {
        HttpChannel channel = HttpChannel.open(address, deadline());
        try {
            channel.write(deadline(), ByteBuffer.wrap(head(envelope)));
            return new RspamdScan(this, channel);
        } catch (RspamdException e) {
            channel.close();
            throw e;
        }
    }

    /** Asks rspamd's {@code /ping}; returns normally when it answers {@code pong}. */
    public void ping() throws RspamdException {
        try (HttpChannel channel = HttpChannel.open(address, deadline())) {
            channel.write(deadline(), ByteBuffer.wrap(
                    "GET /ping HTTP/1.1\r\nHost: rspamd\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            HttpReply reply = HttpReply.read(channel, 1024, deadline());
            String body = new String(reply.body(), 0, reply.length(), StandardCharsets.US_ASCII).strip();
            if (reply.status() != 200 || !body.equals("pong")) {
                throw new RspamdException(Kind.PROTOCOL, "rspamd at " + HttpChannel.where(address) + " answered /ping with HTTP "
                        + reply.status() + " and " + reply.length() + " bytes, not pong");
            }
        }
    }

    long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** The request line and header: the envelope as rspamd's protocol headers, the body chunked. */
    static byte[] head(Envelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        // Pass: all: every rule runs even past rspamd's own reject score; the engine's thresholds
        // (per zone, possibly above rspamd's) decide, and the score must not depend on rule order.
        ascii(out, "POST /checkv2 HTTP/1.1\r\nHost: rspamd\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nPass: all\r\n");
        header(out, "IP", envelope.ip());
        header(out, "Helo", envelope.helo());
        header(out, "From", envelope.mailFrom().isEmpty() ? "<>" : envelope.mailFrom());
        for (String rcpt : envelope.recipients()) {
            header(out, "Rcpt", rcpt);
        }
        ascii(out, "\r\n");
        return out.toByteArray();
    }

    /**
     * One header, or nothing when the value is empty, too long or has control characters: the
     * values come from the SMTP client and must not be able to add headers of their own.
     */
    private static void header(ByteArrayOutputStream out, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_HEADER_VALUE) {
            return;
        }
        for (byte b : bytes) {
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                return;
            }
        }
        ascii(out, name + ": ");
        out.writeBytes(bytes);
        ascii(out, "\r\n");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
