package org.omamori.ids;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.InspectionRequest;

/**
 * DNS over TCP (RFC 1035 §4.2.2): each query message of the client, after its two-byte length,
 * is inspected as a DNS query over UDP is (its name, and the message for rules on the payload).
 * One message is held at a time (at most 64 KiB); the server's answers are not read.
 */
final class DnsTcpSession implements StreamSession {

    private final SessionHost host;
    private final ReplayCounters counters;
    private final Connection connection;
    private final byte[] message = new byte[2 + 65535];
    private int held;
    private boolean lost;

    DnsTcpSession(SessionHost host, ReplayCounters counters, Connection connection) {
        this.host = host;
        this.counters = counters;
        this.connection = connection;
    }

    private final TcpStream.Receiver client = new TcpStream.Receiver() {
        @Override
        public void data(byte[] data, int offset, int length) {
            int end = offset + length;
            while (offset < end && !lost) {
                int want = held < 2 ? 2 - held : 2 + PacketDecoder.u16(message, 0) - held;
                int n = Math.min(want, end - offset);
                System.arraycopy(data, offset, message, held, n);
                held += n;
                offset += n;
                if (held >= 2 && held == 2 + PacketDecoder.u16(message, 0)) {
                    query(held - 2);
                    held = 0;
                }
            }
        }

        @Override
        public void gap(long bytes) {
            lost = true; // the message boundaries are lost with the bytes
        }

        @Override
        public void end() {
            if (held > 2 && !lost) {
                query(held - 2); // cut short by the capture's end: what came is inspected
            }
            held = 0;
        }
    };

    private final TcpStream.Receiver server = new TcpStream.Receiver() {
        @Override
        public void data(byte[] data, int offset, int length) {
        }

        @Override
        public void gap(long bytes) {
        }

        @Override
        public void end() {
        }
    };

    private void query(int length) {
        DnsQuestion.Kind kind = DnsQuestion.kind(message, 2, length);
        String name = kind == DnsQuestion.Kind.QUERY ? DnsQuestion.name(message, 2, length) : null;
        if (kind == DnsQuestion.Kind.RESPONSE) {
            counters.dnsResponses++;
            return;
        }
        if (name == null) {
            counters.dnsMalformed++;
            return;
        }
        counters.dnsQueries++;
        host.message(InspectionRequest.dns(name).connection(connection).build(), message, 2, length);
    }

    @Override
    public TcpStream.Receiver clientSide() {
        return client;
    }

    @Override
    public TcpStream.Receiver serverSide() {
        return server;
    }

    @Override
    public boolean ignoring() {
        return lost;
    }

    @Override
    public void close() {
    }
}
