package org.omamori.ids;

import org.omamori.api.engine.Connection;

/**
 * Chooses a connection's reader by what the client sends first, as Suricata detects the
 * application protocol: an HTTP request line on any port, DNS messages (to port 53, or a first
 * segment that is one DNS query), a TLS handshake record (its ClientHello), else
 * HTTP (whose reader leaves alone what is not HTTP). Bytes of the server before the client's
 * first bytes are not read (a server that speaks first speaks no protocol read here).
 */
final class SniffingSession implements StreamSession {

    private final SessionHost host;
    private final ReplayCounters counters;
    private final ReplayLimits limits;
    private final Connection connection;
    private final Endpoint server;
    private StreamSession chosen;
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

    private StreamSession choose(byte[] data, int offset, int length) {
        if (HeadBuffer.startsLikeRequest(data, offset, length)) {
            return new HttpSession(host, counters, limits, connection, server); // HTTP on any port, 53 too
        }
        if (server.port() == 53 || looksLikeDnsQuery(data, offset, length)) {
            counters.otherTcpFlows++;
            return new DnsTcpSession(host, counters, connection);
        }
        if (length >= 2 && data[offset] == 0x16 && data[offset + 1] == 0x03) {
            counters.otherTcpFlows++;
            return new TlsSession(host, counters, connection);
        }
        return new HttpSession(host, counters, limits, connection, server);
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
            if (chosen == null) {
                if (!fromClient || length == 0) {
                    return;
                }
                chosen = choose(data, offset, length);
            }
            (fromClient ? chosen.clientSide() : chosen.serverSide()).data(data, offset, length);
        }

        @Override
        public void gap(long bytes) {
            if (chosen == null) {
                if (fromClient) {
                    chosen = new HttpSession(host, counters, limits, connection, server); // it counts the lost start
                } else {
                    return;
                }
            }
            (fromClient ? chosen.clientSide() : chosen.serverSide()).gap(bytes);
        }

        @Override
        public void end() {
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
