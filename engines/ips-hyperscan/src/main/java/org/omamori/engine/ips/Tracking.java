package org.omamori.engine.ips;

import java.util.Arrays;

import org.omamori.api.engine.Connection;
import org.omamori.engine.ips.rules.Threshold;
import org.omamori.engine.ips.rules.Xbit;

/** The keys thresholds and xbits count under, for a match on one side of a connection: the request goes from the client, the response from the server. */
final class Tracking {

    private Tracking() {
    }

    /** The match's source, destination, both (either order), its connection, or the rule alone. */
    static byte[] thresholdKey(Threshold.Track track, Connection c, Side side) {
        byte[] client = c.source().getAddress();
        byte[] server = c.destination().getAddress();
        byte[] src = side == Side.REQUEST ? client : server;
        byte[] dst = side == Side.REQUEST ? server : client;
        return switch (track) {
            case BY_SRC -> src;
            case BY_DST -> dst;
            case BY_RULE -> new byte[0];
            case BY_BOTH -> Arrays.compare(client, server) <= 0 ? concat(client, server) : concat(server, client);
            case BY_FLOW -> concat(concat(client, server), new byte[] {(byte) (c.sourcePort() >> 8), (byte) c.sourcePort(),
                    (byte) (c.destinationPort() >> 8), (byte) c.destinationPort()});
        };
    }

    static String xbitKey(Xbit x, Connection c, Side side) {
        byte[] client = c.source().getAddress();
        byte[] server = c.destination().getAddress();
        return side == Side.REQUEST ? HostBits.key(x, client, server) : HostBits.key(x, server, client);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
