package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What the replay inspects besides whole HTTP exchanges: TLS ClientHellos, DNS over TCP, requests cut short. */
class ProtocolsReplayTest {

    static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** A ClientHello naming {@code sni}, as a handshake message (without record framing). */
    static byte[] clientHello(String sni) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(3); // client_version 1.2
        body.writeBytes(new byte[32]); // random
        body.write(0); // session_id
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01}); // one cipher suite
        body.writeBytes(new byte[] {1, 0}); // null compression
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(new byte[] {0x00, 0x0b, 0, 2, 1, 0}); // ec_point_formats first: the SNI is not the first extension
        ext.writeBytes(new byte[] {0, 0}); // server_name
        int list = 3 + name.length;
        ext.writeBytes(new byte[] {(byte) ((list + 2) >> 8), (byte) (list + 2), (byte) (list >> 8), (byte) list, 0,
                (byte) (name.length >> 8), (byte) name.length});
        ext.writeBytes(name);
        byte[] e = ext.toByteArray();
        body.writeBytes(new byte[] {(byte) (e.length >> 8), (byte) e.length});
        body.writeBytes(e);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        hs.writeBytes(new byte[] {1, (byte) (b.length >> 16), (byte) (b.length >> 8), (byte) b.length});
        hs.writeBytes(b);
        return hs.toByteArray();
    }

    static byte[] record(byte[] fragment, int from, int to) {
        byte[] r = new byte[5 + to - from];
        r[0] = 0x16;
        r[1] = 3;
        r[2] = 1;
        r[3] = (byte) ((to - from) >> 8);
        r[4] = (byte) (to - from);
        System.arraycopy(fragment, from, r, 5, to - from);
        return r;
    }

    @Test
    void aClientHelloSplitOverTwoRecordsAndThreeSegmentsIsInspectedByItsServerName() throws Exception {
        byte[] hello = clientHello("beacon.c2.test");
        byte[] first = record(hello, 0, 20);
        byte[] second = record(hello, 20, hello.length);
        byte[] wire = new byte[first.length + second.length];
        System.arraycopy(first, 0, wire, 0, first.length);
        System.arraycopy(second, 0, wire, first.length, second.length);
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40010, "198.51.100.9", 443).handshake()
                .client(latin1(wire, 0, 3), latin1(wire, 3, 30), latin1(wire, 30, wire.length))
                .server("\u0016\u0003\u0003\u0000\u0002ok").close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.rule("9000022")).singleElement().satisfies(e -> assertThat(e.host()).isEqualTo("beacon.c2.test"));
        assertThat(o.summary().reassembly()).containsEntry("TLS ClientHellos", 1L);
        assertThat(TlsSession.serverName(hello, hello.length - 10)).as("a hello cut inside its extensions").isEmpty();
    }

    @Test
    void dnsQueriesOverTcpAreInspectedLikeThoseOverUdp() throws Exception {
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                6, 'b', 'e', 'a', 'c', 'o', 'n', 2, 'c', '2', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
        byte[] framed = new byte[2 + query.length];
        framed[1] = (byte) query.length;
        System.arraycopy(query, 0, framed, 2, query.length);
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40011, "198.51.100.53", 53).handshake()
                .client(latin1(framed, 0, 1), latin1(framed, 1, 9), latin1(framed, 9, framed.length)).close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.rule("9000020")).singleElement().satisfies(e -> assertThat(e.dnsName()).isEqualTo("beacon.c2.test"));
        assertThat(o.summary().dnsQueries()).isEqualTo(1);
    }

    @Test
    void aRequestTheCaptureEndsInsideIsInspectedOnceItsRequestLineIsComplete() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "203.0.113.7", 51010, "192.168.1.10", 80).handshake()
                .client("GET /item.php?id=1%20UNION%20SELECT%20pw HTTP/1.1\r\nHost: shop.example\r\nUser-Ag");
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.rule("9000001")).singleElement()
                .satisfies(e -> assertThat(e.url()).isEqualTo("http://shop.example/item.php?id=1%20UNION%20SELECT%20pw"));
        assertThat(o.summary().reassembly()).containsEntry("HTTP messages cut short", 1L);
    }

    @Test
    void aRequestTargetWithSpacesAndARequestFromAWebPortPickedUpMidstreamAreRead() throws Exception {
        CaptureWriter w = new CaptureWriter();
        TcpSession s = new TcpSession(w, "203.0.113.7", 80, "192.168.1.10", 4660); // no handshake: picked up midstream
        s.client("GET /item.php?id=1 union select pw HTTP/1.1\r\nHost: shop.example\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.summary().httpRequests()).isEqualTo(1);
        assertThat(o.summary().httpResponses()).isEqualTo(1);
        assertThat(o.events()).anySatisfy(e -> assertThat(e.url()).isEqualTo("http://shop.example/item.php?id=1 union select pw"));
    }
}
