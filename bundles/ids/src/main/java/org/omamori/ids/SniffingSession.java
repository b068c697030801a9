package org.omamori.ids;

import org.omamori.api.engine.Connection;

/**
 * Chooses a connection's reader by what the client sends first, as Suricata detects the
 * application protocol: an HTTP request line on any port, DNS messages (to port 53, or a first
 * segment that is one DNS query), a TLS handshake record (its ClientHello); anything else is
 * inspected as a raw stream ({@link RawStreamSession}) — unless the server answers such bytes with
 * an HTTP response, which Suricata detects from the response side, so the client's unknown bytes
 * are held (at most {@value #MAX_UNKNOWN}) until the server's first bytes tell. What a server says
 * before the client's first bytes (an SMTP or FTP banner) is held, at most {@value #MAX_EARLY}
 * bytes, and given to the reader chosen; a connection where only the server speaks is HTTP when
 * it starts {@code HTTP/} (a capture of the server's side only), else a raw stream.
 */
final class SniffingSession implements StreamSession {

    private final SessionHost host;
    private final ReplayCounters counters;
    private final ReplayLimits limits;
    private final Connection connection;
    private final Endpoint server;
    static final int MAX_EARLY = 64 * 1024;
    /** The longest first line waited for before the choice (then it is made on what came). */
    static final int MAX_FIRST_LINE = 8 * 1024;
    /** The client's bytes in no protocol held at most while the server's answer may tell (then a raw stream). */
    static final int MAX_UNKNOWN = 8 * 1024;

    private StreamSession chosen;
    private final java.io.ByteArrayOutputStream early = new java.io.ByteArrayOutputStream();
    /** The client's first bytes while its first line is not complete (a method-like word may still be SMTP's EHLO). */
    private final java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
    private final TcpStream.Receiver client = new Forward(true);
    private final TcpStream.Receiver toClient = new Forward(false);

    SniffingSession(SessionHost host, ReplayCounters counters, ReplayLimits limits, Connection connection, Endpoint server) {
        this.host = host;
        this.counters = counters;
        this.limits = limits;
        this.connection = connection;
        this.server = server;
    }

    @Override
    public TcpStream.Receiver clientSide() {
        return client;
    }

    @Override
    public TcpStream.Receiver serverSide() {
        return toClient;
    }

    @Override
    public boolean ignoring() {
        return chosen != null && chosen.ignoring();
    }

    @Override
    public void close() {
        if (chosen != null) {
            chosen.close();
        }
    }

    /** Null while the client's first line is needed and not complete. */
    private StreamSession choose(byte[] data, int offset, int length, boolean atEnd) {
        if (HeadBuffer.startsLikeRequest(data, offset, length) || HeadBuffer.methodSoFar(data, offset, length)) {
            int lf = -1;
            for (int i = offset; i < offset + length && lf < 0; i++) {
                lf = data[i] == '\n' ? i : -1;
            }
            if (lf < 0 && length < MAX_FIRST_LINE && !atEnd) {
                return null;
            }
            String line = new String(data, offset, (lf < 0 ? offset + length : lf) - offset, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (line.startsWith("PRI * HTTP/2")) {
                counters.otherTcpFlows++;
                return new RawStreamSession(host, connection); // HTTP/2's preface (h2c): not read, inspected as a stream
            }
            if (lf < 0 || line.contains(" HTTP/") || line.contains(" http/")) {
                return new HttpSession(host, counters, limits, connection, server); // HTTP on any port, 53 too
            }
            boolean versionless = HttpSyntax.requestLine(line.strip()).length == 2;
            String next = versionless ? secondLine(data, lf + 1, offset + length) : null;
            if (versionless && next == null && length < MAX_FIRST_LINE && !atEnd) {
                return null; // a request line without a version: its next line tells
            }
            if (next != null && HttpSyntax.fieldLine(next)) {
                return new HttpSession(host, counters, limits, connection, server); // libhtp reads its headers too
            }
            counters.otherTcpFlows++;
            return new RawStreamSession(host, connection); // a command protocol: SMTP's EHLO, FTP's USER
        }
        if (server.port() == 53 || looksLikeDnsQuery(data, offset, length)) {
            counters.otherTcpFlows++;
            return new DnsTcpSession(host, counters, connection);
        }
        if (length >= 2 && data[offset] == 0x16 && data[offset + 1] == 0x03 || sslv2Hello(data, offset, length)) {
            counters.otherTcpFlows++;
            return new TlsSession(host, counters, connection);
        }
        if (!atEnd && length < MAX_UNKNOWN) {
            return null; // no protocol the client's bytes tell: the server's first bytes may (an HTTP response)
        }
        counters.otherTcpFlows++;
        return new RawStreamSession(host, connection);
    }

    /**
     * The server answered bytes the client sent in no protocol the replay reads: when the answer
     * starts as an HTTP response, the connection is HTTP, as Suricata detects it from the response
     * side ({@link HttpSession#answeringUnknown}); otherwise a raw stream. Null while the answer is
     * too short to tell.
     */
    private StreamSession chooseByAnswer(byte[] data, int length, boolean atEnd) {
        int n = Math.min(length, 5);
        boolean http = new String(data, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase("HTTP/".substring(0, n));
        if (http && n < 5 && !atEnd) {
            return null;
        }
        if (http && n == 5) {
            HttpSession session = new HttpSession(host, counters, limits, connection, server);
            session.answeringUnknown(first.size() > 0);  // the client's bytes, if any, are junk
            return session;
        }
        counters.otherTcpFlows++;
        return new RawStreamSession(host, connection);
    }

    /**
     * Whether the server's bytes decide: the client's held are junk, or the client has said nothing
     * and the server's begin an HTTP response (a capture that misses the requests).
     */
    private boolean answerDecides() {
        return first.size() > 0 ? clientUnknown() : startsLikeResponse(early.toByteArray());
    }

    /** Whether the client's bytes held are no start of a request (junk that only the server's answer can tell). */
    private boolean clientUnknown() {
        byte[] held = first.toByteArray();
        return !HeadBuffer.startsLikeRequest(held, 0, held.length) && !HeadBuffer.methodSoFar(held, 0, held.length);
    }

    /** Whether a server's first bytes (five at least) begin an HTTP response. */
    private static boolean startsLikeResponse(byte[] data) {
        return data.length >= 5 && new String(data, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase("HTTP/");
    }

    /** The client's bytes held told nothing: the server's first bytes decide. */
    private void decideByAnswer(boolean atEnd) {
        byte[] answer = early.toByteArray();
        StreamSession session = chooseByAnswer(answer, answer.length, atEnd);
        if (session != null) {
            byte[] held = first.toByteArray();
            first.reset();
            chosen(session);
            session.clientSide().data(held, 0, held.length);
        }
    }

    /** The line starting at {@code from}, without its line end; null while it is not complete. */
    private static String secondLine(byte[] data, int from, int end) {
        for (int i = from; i < end; i++) {
            if (data[i] == '\n') {
                int to = i > from && data[i - 1] == '\r' ? i - 1 : i;
                return new String(data, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /**
     * An SSLv2-compatible ClientHello, as Suricata's TLS probing finds it: a two-byte SSLv2 record
     * header (high bit set, a length that holds the message), CLIENT-HELLO (1), a version SSL 2.0
     * or SSL 3.0 to TLS 1.3.
     */
    static boolean sslv2Hello(byte[] data, int offset, int length) {
        if (length < 5 || (data[offset] & 0x80) == 0 || data[offset + 2] != 1) {
            return false;
        }
        int record = ((data[offset] & 0x7f) << 8) | (data[offset + 1] & 0xff);
        int major = data[offset + 3];
        int minor = data[offset + 4];
        return record >= 9 && (major == 0 && minor == 2 || major == 3 && minor >= 0 && minor <= 4);
    }

    /** Chooses on the client's first bytes held, when they tell (always at the end), and hands them over. */
    private void decide(boolean atEnd) {
        byte[] held = first.toByteArray();
        StreamSession session = choose(held, 0, held.length, atEnd);
        if (session != null) {
            first.reset();
            chosen(session);
            session.clientSide().data(held, 0, held.length);
        }
    }

    private void chosen(StreamSession session) {
        chosen = session;
        if (early.size() > 0) {
            byte[] held = early.toByteArray();
            early.reset();
            session.serverSide().data(held, 0, held.length);
        }
    }

    /**
     * A DNS query over TCP on another port, as Suricata's probing finds it: a two-byte length of at
     * least a header that the segment holds or begins, then a standard query with one question.
     */
    static boolean looksLikeDnsQuery(byte[] data, int offset, int length) {
        if (length < 14) {
            return false;
        }
        int size = PacketDecoder.u16(data, offset);
        int flags = data[offset + 4] & 0xff;
        return size >= 12 && size >= length - 2 && (flags & 0xf8) == 0 && PacketDecoder.u16(data, offset + 6) == 1
                && PacketDecoder.u16(data, offset + 8) == 0;
    }

    /** One direction, handed to the chosen reader. */
    private final class Forward implements TcpStream.Receiver {
        private final boolean fromClient;

        Forward(boolean fromClient) {
            this.fromClient = fromClient;
        }

        @Override
        public void data(byte[] data, int offset, int length) {
            if (chosen != null) {
                (fromClient ? chosen.clientSide() : chosen.serverSide()).data(data, offset, length);
            } else if (!fromClient) {
                int before = early.size();
                early.write(data, offset, Math.min(length, Math.max(0, MAX_EARLY - early.size())));
                if (length > 0 && (first.size() > 0 ? clientUnknown() : before < 5 && startsLikeResponse(early.toByteArray()))) {
                    decideByAnswer(false); // an answer to the client's unknown bytes, or to requests the capture misses
                }
            } else if (length > 0) {
                first.write(data, offset, length);
                decide(false);
                if (chosen == null && early.size() > 0 && clientUnknown()) {
                    decideByAnswer(false); // the server spoke first: its bytes decide what the client's do not
                }
            }
        }

        @Override
        public void gap(long bytes) {
            if (chosen == null && fromClient) {
                if (first.size() > 0) {
                    decide(true);
                } else {
                    chosen(new HttpSession(host, counters, limits, connection, server)); // it counts the lost start
                }
            }
            if (chosen != null) {
                (fromClient ? chosen.clientSide() : chosen.serverSide()).gap(bytes);
            }
        }

        @Override
        public void end() {
            if (chosen == null && early.size() > 0 && answerDecides()) {
                decideByAnswer(true);
            }
            if (chosen == null && first.size() > 0) {
                decide(true);
            }
            if (chosen == null && early.size() > 0) {
                counters.otherTcpFlows++;
                chosen(new RawStreamSession(host, connection)); // only the server spoke
            }
            if (chosen == null) {
                if (fromClient) {
                    counters.otherTcpFlows++; // a client that sent nothing
                }
                return;
            }
            (fromClient ? chosen.clientSide() : chosen.serverSide()).end();
        }
    }
}
