package org.omamori.ids;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.InspectionRequest;

/**
 * A TLS connection: the client's ClientHello is gathered from its handshake records (however
 * they are fragmented across records and segments, at most {@value #MAX_HELLO} bytes) and
 * inspected once as {@code InspectionRequest.tls(sni)}, with the hello's bytes as payload. Nothing
 * after it is read: the rest is encrypted (a TLS 1.2 server certificate is not read yet).
 */
final class TlsSession implements StreamSession {

    static final int MAX_HELLO = 16 * 1024;

    private final SessionHost host;
    private final ReplayCounters counters;
    private final Connection connection;
    /** The current record's header, then the handshake bytes gathered from the records. */
    private final byte[] header = new byte[5];
    private int headerHeld;
    private int recordLeft;
    private byte[] hello = new byte[512];
    private int helloHeld;
    private boolean done;

    TlsSession(SessionHost host, ReplayCounters counters, Connection connection) {
        this.host = host;
        this.counters = counters;
        this.connection = connection;
    }

    private final TcpStream.Receiver client = new TcpStream.Receiver() {
        @Override
        public void data(byte[] data, int offset, int length) {
            int end = offset + length;
            while (offset < end && !done) {
                if (recordLeft == 0) {
                    header[headerHeld++] = data[offset++];
                    if (headerHeld == 5) {
                        headerHeld = 0;
                        recordLeft = PacketDecoder.u16(header, 3);
                        if (header[0] != 0x16 || recordLeft == 0) {
                            finish(); // not a handshake record: the hello, if any, is what came
                        }
                    }
                    continue;
                }
                int n = Math.min(recordLeft, end - offset);
                gather(data, offset, n);
                offset += n;
                recordLeft -= n;
                if (helloComplete()) {
                    finish();
                }
            }
        }

        @Override
        public void gap(long bytes) {
            finish();
        }

        @Override
        public void end() {
            finish();
        }
    };

    private static final TcpStream.Receiver IGNORED = new TcpStream.Receiver() {
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

    private void gather(byte[] data, int offset, int n) {
        int take = Math.min(n, MAX_HELLO + 4 - helloHeld);
        if (take <= 0) {
            finish();
            return;
        }
        if (helloHeld + take > hello.length) {
            hello = java.util.Arrays.copyOf(hello, Math.min(MAX_HELLO + 4, Math.max(hello.length * 2, helloHeld + take)));
        }
        System.arraycopy(data, offset, hello, helloHeld, take);
        helloHeld += take;
    }

    private boolean helloComplete() {
        return helloHeld >= 4 && helloHeld >= 4 + ((hello[1] & 0xff) << 16 | (hello[2] & 0xff) << 8 | hello[3] & 0xff);
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (helloHeld < 4 || hello[0] != 1) {
            return; // no ClientHello
        }
        counters.tlsClientHellos++;
        String sni = serverName(hello, helloHeld);
        host.message(InspectionRequest.tls(sni).connection(connection).build(), hello, 0, helloHeld);
        hello = null;
    }

    /** The host_name of the server_name extension (RFC 6066 §3), or "" when there is none or the hello is cut. */
    static String serverName(byte[] b, int length) {
        int end = Math.min(length, 4 + ((b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff));
        int p = 4 + 2 + 32; // handshake header, client_version, random
        if (p >= end) {
            return "";
        }
        p += 1 + (b[p] & 0xff); // session_id
        if (p + 2 > end) {
            return "";
        }
        p += 2 + PacketDecoder.u16(b, p); // cipher_suites
        if (p >= end) {
            return "";
        }
        p += 1 + (b[p] & 0xff); // compression_methods
        if (p + 2 > end) {
            return "";
        }
        int extEnd = Math.min(end, p + 2 + PacketDecoder.u16(b, p));
        p += 2;
        while (p + 4 <= extEnd) {
            int type = PacketDecoder.u16(b, p);
            int len = PacketDecoder.u16(b, p + 2);
            p += 4;
            if (type == 0 && p + 2 <= extEnd) {
                int q = p + 2;
                int listEnd = Math.min(extEnd, q + PacketDecoder.u16(b, p));
                while (q + 3 <= listEnd) {
                    int nameLength = PacketDecoder.u16(b, q + 1);
                    if (b[q] == 0 && q + 3 + nameLength <= listEnd && nameLength <= 255) {
                        return printable(b, q + 3, nameLength);
                    }
                    q += 3 + nameLength;
                }
                return "";
            }
            p += len;
        }
        return "";
    }

    /** A host name as sent, with bytes other than letters, digits, '-', '_' and '.' written {@code \DDD}, as DNS names are. */
    private static String printable(byte[] b, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = offset; i < offset + length; i++) {
            int c = b[i] & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
                out.append((char) c);
            } else {
                out.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
            }
        }
        return out.toString();
    }

    @Override
    public TcpStream.Receiver clientSide() {
        return client;
    }

    @Override
    public TcpStream.Receiver serverSide() {
        return IGNORED;
    }

    @Override
    public boolean ignoring() {
        return done;
    }

    @Override
    public void close() {
        finish();
    }
}
