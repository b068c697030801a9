package org.omamori.ids;

import java.nio.ByteBuffer;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.TlsRecords;

/**
 * A TLS connection, inspected once as {@code InspectionRequest.tls(sni)} with both sides' handshake
 * records as they crossed the wire: the client's ClientHello is gathered from its records (however
 * they are fragmented across records and segments, at most {@value #MAX_HELLO} bytes) for the SNI,
 * then the inspection gets the client's bytes as the request body (JA3, rules on the raw hello) and
 * the server's as the response body — its hello and, in TLS 1.0-1.2, its certificate chain
 * ({@code tls.cert_*}, JA3S) — up to the first record that is no handshake (everything after a
 * ChangeCipherSpec is encrypted, as is a TLS 1.3 certificate), at most {@value #MAX_SERVER} bytes.
 * An SSLv2-compatible ClientHello (no server name) opens the inspection too, as Suricata reads it:
 * the server's TLS records that answer it are read as above.
 */
final class TlsSession implements StreamSession {

    static final int MAX_HELLO = 16 * 1024;
    /** The server's handshake bytes handed over at most: what the IPS reads for a certificate chain. */
    static final int MAX_SERVER = 64 * 1024;

    private final SessionHost host;
    private final ReplayCounters counters;
    private final Connection connection;
    /** The current record's header, then the handshake bytes gathered from the records. */
    private final byte[] header = new byte[5];
    private int headerHeld;
    private int recordLeft;
    private byte[] hello = new byte[512];
    private int helloHeld;
    /** The client's bytes as received until its hello is read (record headers and all). */
    private byte[] raw = new byte[512];
    private int rawHeld;
    private boolean helloDone;
    /** The client's hello is SSLv2's (CLIENT-HELLO in an SSLv2 record), as old clients send it to reach TLS servers. */
    private boolean sslv2;
    /** The server's bytes that came before the inspection opened. */
    private byte[] early = new byte[0];
    private int earlyHeld;
    private final TlsRecords serverRecords = new TlsRecords();
    private int serverSent;
    private InspectionRequest request;
    private StreamingInspection inspection;
    private boolean finished;

    TlsSession(SessionHost host, ReplayCounters counters, Connection connection) {
        this.host = host;
        this.counters = counters;
        this.connection = connection;
    }

    private final TcpStream.Receiver client = new TcpStream.Receiver() {
        @Override
        public void data(byte[] data, int offset, int length) {
            if (helloDone) {
                return;
            }
            if (rawHeld == 0 && length > 0 && (data[offset] & 0x80) != 0) {
                sslv2 = true; // an SSLv2-compatible ClientHello: a two-byte record header, no extensions
            }
            keepRaw(data, offset, length);
            if (sslv2) {
                if (rawHeld >= 2 && rawHeld >= 2 + (((raw[0] & 0x7f) << 8) | (raw[1] & 0xff))) {
                    helloRead();
                }
                return;
            }
            int end = offset + length;
            while (offset < end && !helloDone) {
                if (recordLeft == 0) {
                    header[headerHeld++] = data[offset++];
                    if (headerHeld == 5) {
                        headerHeld = 0;
                        recordLeft = PacketDecoder.u16(header, 3);
                        if (header[0] != 0x16 || recordLeft == 0) {
                            helloRead(); // not a handshake record: the hello, if any, is what came
                        }
                    }
                    continue;
                }
                int n = Math.min(recordLeft, end - offset);
                gather(data, offset, n);
                offset += n;
                recordLeft -= n;
                if (helloComplete()) {
                    helloRead();
                }
            }
        }

        @Override
        public void gap(long bytes) {
            helloRead();
        }

        @Override
        public void end() {
            helloRead();
        }
    };

    private final TcpStream.Receiver server = new TcpStream.Receiver() {
        @Override
        public void data(byte[] data, int offset, int length) {
            if (finished || serverRecords.ended()) {
                return;
            }
            int n = Math.min(serverRecords.handshake(data, offset, length), MAX_SERVER - serverSent - earlyHeld);
            if (n > 0) {
                if (inspection != null) {
                    serverSent += n;
                    inspection.body(Direction.RESPONSE, ByteBuffer.wrap(data, offset, n));
                } else if (!helloDone) {
                    hold(data, offset, n);
                }
            }
            if (serverRecords.ended() || serverSent + earlyHeld >= MAX_SERVER) {
                serverRecords.end();
                if (helloDone) {
                    finish();
                }
            }
        }

        @Override
        public void gap(long bytes) {
            serverRecords.end();
            if (helloDone) {
                finish();
            }
        }

        @Override
        public void end() {
            gap(0);
        }
    };

    private void keepRaw(byte[] data, int offset, int length) {
        int take = Math.min(length, MAX_HELLO + 1024 - rawHeld);
        if (take <= 0) {
            return;
        }
        if (rawHeld + take > raw.length) {
            raw = java.util.Arrays.copyOf(raw, Math.min(MAX_HELLO + 1024, Math.max(raw.length * 2, rawHeld + take)));
        }
        System.arraycopy(data, offset, raw, rawHeld, take);
        rawHeld += take;
    }

    private void hold(byte[] data, int offset, int n) {
        if (earlyHeld + n > early.length) {
            early = java.util.Arrays.copyOf(early, Math.min(MAX_SERVER, Math.max(early.length * 2, earlyHeld + n)));
        }
        System.arraycopy(data, offset, early, earlyHeld, n);
        earlyHeld += n;
    }

    private void gather(byte[] data, int offset, int n) {
        int take = Math.min(n, MAX_HELLO + 4 - helloHeld);
        if (take <= 0) {
            helloRead();
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

    /** The client's hello is read (or will not be): the inspection opens with it, and the server's bytes held. */
    private void helloRead() {
        if (helloDone) {
            return;
        }
        helloDone = true;
        if (!sslv2 && (helloHeld < 4 || hello[0] != 1)) {
            finished = true; // no ClientHello: nothing to inspect
            release();
            return;
        }
        counters.tlsClientHellos++;
        request = InspectionRequest.tls(sslv2 ? "" : serverName(hello, helloHeld)).connection(connection).build();
        inspection = host.open(request);
        if (inspection == null) {
            counters.httpOverLimit++;
            finished = true;
            release();
            return;
        }
        inspection.body(Direction.REQUEST, ByteBuffer.wrap(raw, 0, rawHeld));
        inspection.endOfBody(Direction.REQUEST);
        if (earlyHeld > 0) {
            serverSent = earlyHeld;
            inspection.body(Direction.RESPONSE, ByteBuffer.wrap(early, 0, earlyHeld));
        }
        release();
        if (serverRecords.ended()) {
            finish();
        }
    }

    private void release() {
        hello = null;
        raw = null;
        early = null;
        earlyHeld = 0;
    }

    /** Both sides are read: the inspection's result is reported. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (inspection != null) {
            try {
                inspection.endOfBody(Direction.RESPONSE);
            } finally {
                host.finish(request, inspection);
                inspection = null;
            }
        }
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
        return server;
    }

    @Override
    public boolean ignoring() {
        return finished;
    }

    @Override
    public void close() {
        helloRead();
        finish();
    }
}
