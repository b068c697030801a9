package org.omamori.ids;

/** One TCP connection: its two ordered streams and the session reading them. */
final class TcpFlow {

    /** A connection's key, the same whichever way a packet goes. */
    record Key(Endpoint low, Endpoint high) {
        static Key of(Endpoint a, Endpoint b) {
            int c = Long.compare(a.hi(), b.hi());
            if (c == 0) {
                c = Long.compare(a.lo(), b.lo());
            }
            if (c == 0) {
                c = Integer.compare(a.port(), b.port());
            }
            return c <= 0 ? new Key(a, b) : new Key(b, a);
        }
    }

    final Key key;
    final Endpoint client;
    final Endpoint server;
    final StreamSession session;
    private final TcpStream toServer;
    private final TcpStream toClient;
    private boolean clientFin;
    private boolean serverFin;
    private boolean sawData;
    private boolean closed;
    long lastSeen;

    TcpFlow(Key key, Endpoint client, Endpoint server, StreamSession session, ReplayCounters counters, ReplayLimits limits) {
        this.key = key;
        this.client = client;
        this.server = server;
        this.session = session;
        this.toServer = new TcpStream(counters, limits, session.clientSide());
        this.toClient = new TcpStream(counters, limits, session.serverSide());
    }

    boolean closed() {
        return closed;
    }

    boolean sawData() {
        return sawData;
    }

    /** One segment; closes the connection on a reset or once both sides have finished. */
    void segment(boolean fromClient, int seq, int flags, byte[] data, int offset, int length) {
        if (closed) {
            return;
        }
        sawData |= length > 0;
        if ((flags & PacketDecoder.RST) != 0) {
            close();
            return;
        }
        if ((flags & PacketDecoder.FIN) != 0) {
            if (fromClient) {
                clientFin = true;
            } else {
                serverFin = true;
            }
        }
        if (!session.ignoring()) {
            (fromClient ? toServer : toClient).segment(seq, flags, data, offset, length);
        }
        if ((toServer.ended() || clientFin && session.ignoring()) && (toClient.ended() || serverFin && session.ignoring())) {
            close();
        }
    }

    /** Ends both streams (delivering what waits, holes as gaps) and reports open exchanges. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        toServer.close();
        toClient.close();
        session.close();
    }
}
