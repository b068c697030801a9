package org.omamori.engine.antispam.rspamd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.omamori.engine.antispam.rspamd.RspamdException.Kind;

/**
 * One mail on its way to rspamd: each {@link #send} is one HTTP chunk, {@link #finish} ends the
 * body and reads the reply. Used by one thread; {@link #close} may come at any time and drops
 * the connection (rspamd then forgets the mail).
 */
public final class RspamdScan implements AutoCloseable {

    private static final ByteBuffer CRLF = ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Rspamd rspamd;
    private final HttpChannel channel;
    private long sent;

    RspamdScan(Rspamd rspamd, HttpChannel channel) {
        this.rspamd = rspamd;
        this.channel = channel;
    }

    /** Sends the next bytes of the mail; the buffer's position is left alone. */
    public void send(ByteBuffer bytes) throws RspamdException {
        int n = bytes.remaining();
        if (n == 0) {
            return;
        }
        ByteBuffer size = ByteBuffer.wrap((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        channel.write(rspamd.deadline(), size, bytes.duplicate(), CRLF.duplicate());
        sent += n;
    }

    /** Bytes of the mail sent so far. */
    public long sent() {
        return sent;
    }

    /** Ends the mail and returns rspamd's verdict on it. */
    public Reply finish() throws RspamdException {
        channel.write(rspamd.deadline(), ByteBuffer.wrap(LAST_CHUNK));
        HttpReply reply = HttpReply.read(channel, rspamd.maxReplyBytes(), rspamd.deadline());
        if (reply.status() != 200) {
            throw new RspamdException(Kind.PROTOCOL, "rspamd answered HTTP " + reply.status() + " instead of a score"
                    + " (see its log: run/rspamd/rspamd.log for the project's daemon)");
        }
        return ReplyParser.parse(reply.body(), reply.length());
    }

    @Override
    public void close() {
        channel.close();
    }
}
