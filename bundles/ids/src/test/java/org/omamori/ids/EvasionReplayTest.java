package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.events.Result;

/** The offline IDS inspects an evasive response as the browser would see it and reports the evasion. */
class EvasionReplayTest {

    @Test
    void eicarInChunksWithJunkAfterTheSizesAndAFoldedTransferEncodingIsFoundAndTheEvasionReported() throws Exception {
        String eicar = ReplayTest.EICAR;
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40002, "198.51.100.9", 80).handshake()
                .client("GET /eicar.txt HTTP/1.1\r\nHost: evader.example\r\n\r\n")
                .server("HTTP/1.1 200 ok\r\nTransfer-Encoding:\r\n chunked\r\nConnection: close\r\n\r\n"
                        + "20 x\r\n" + eicar.substring(0, 32) + "\r\n", Integer.toHexString(eicar.length() - 32) + ";\0\r\n"
                        + eicar.substring(32) + "\r\n0\r\n\r\n")
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        List<Event> eicarEvents = o.events().stream().filter(e -> e.ruleName().contains("EICAR")).toList();
        assertThat(eicarEvents).extracting(Event::ruleId).contains("sid:9000018");
        List<Event> evasions = o.rule(Replay.EVASION_RULE);
        assertThat(evasions).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.THREAT);
            assertThat(e.result()).isEqualTo(Result.PASS);
            assertThat(e.url()).isEqualTo("http://evader.example/eicar.txt");
            assertThat(e.note()).contains("folded header", "bytes after chunk size");
        });
        assertThat(o.summary().reassembly()).containsEntry("HTTP responses decoded leniently (evasions)", 1L);
    }

    @Test
    void aBodyOnA304ThatClosesTheConnectionIsInspectedAndTheEvasionReported() throws Exception {
        String eicar = ReplayTest.EICAR;
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40004, "198.51.100.9", 80).handshake()
                .client("GET /broken/eicar.txt/304 HTTP/1.1\r\nHost: evader.example\r\n\r\n")
                .server("HTTP/1.1 304 ok\r\nConnection: close\r\nContent-length: " + eicar.length() + "\r\n\r\n" + eicar)
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.events()).filteredOn(e -> e.ruleName().contains("EICAR")).isNotEmpty();
        assertThat(o.rule(Replay.EVASION_RULE)).singleElement()
                .satisfies(e -> assertThat(e.note()).contains("a body on status 304"));
    }

    @Test
    void a304KeptOpenHasNoBodyThoughItGivesTheCachedLength() throws Exception {
        String eicar = ReplayTest.EICAR;
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40005, "198.51.100.9", 80).handshake()
                .client("GET /a HTTP/1.1\r\nHost: ok.example\r\n\r\n", "GET /eicar.txt HTTP/1.1\r\nHost: ok.example\r\n\r\n")
                .server("HTTP/1.1 304 Not Modified\r\nContent-Length: 5000\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: " + eicar.length() + "\r\n\r\n" + eicar)
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.summary().httpResponses()).isEqualTo(2);
        assertThat(o.events()).filteredOn(e -> e.ruleName().contains("EICAR")).isNotEmpty();
        assertThat(o.rule(Replay.EVASION_RULE)).isEmpty();
    }

    @Test
    void aWellFormedResponseIsNoEvasion() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40003, "198.51.100.9", 80).handshake()
                .client("GET /a HTTP/1.1\r\nHost: ok.example\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));
        assertThat(o.rule(Replay.EVASION_RULE)).isEmpty();
        assertThat(o.summary().httpResponses()).isEqualTo(1);
    }
}
