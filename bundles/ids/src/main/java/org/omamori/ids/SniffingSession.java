package org.omamori.ids;

import org.omamori.api.engine.Connection;

/**
 * Chooses a connection's reader by what the client sends first, as Suricata detects the
 * application protocol: an HTTP request line on any port, DNS messages (to port 53, or a first
 * segment that is one DNS query), a TLS handshake record (its ClientHello); anything else is
 * inspected as a raw stream ({@link RawStreamSession}). What a server says before the client's
 * first bytes (an SMTP or FTP banner) is held, at most {@value #MAX_EARLY} bytes, and given to
 * the reader chosen; a connection where only the server speaks is a raw stream.
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
            if (lf < 0 || line.contains(" HTTP/") || line.contains(" http/")) {
                return new HttpSession(host, counters, limits, connection, server); // HTTP on any port, 53 too
            }
            counters.otherTcpFlows++;
            return new RawStreamSession(host, connection); // a command protocol: SMTP's EHLO, FTP's USER
        }
        if (server.port() == 53 || looksLikeDnsQuery(data, offset, length)) {
            counters.otherTcpFlows++;
            return new DnsTcpSession(host, counters, connection);
        }
        if (length >= 2 && data[offset] == 0x16 && data[offset + 1] == 0x03) {
            counters.otherTcpFlows++;
            return new TlsSession(host, counters, connection);
        }
        counters.otherTcpFlows++;
        return new RawStreamSession(host, connection);
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
                early.write(data, offset, Math.min(length, Math.max(0, MAX_EARLY - early.size())));
            } else if (length > 0) {
                first.write(data, offset, length);
                decide(false);
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
            if (chosen == null && fromClient && first.size() > 0) {
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
