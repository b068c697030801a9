package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * The writes of one exchange, counted as the JVM makes them (JFR's {@code jdk.SocketWrite}, one
 * event per socket write the proxy's streams make): each side's bytes leave in one write, the
 * request head with its held body to the origin, the response head with its held body to the
 * client. A head written apart from its body is a second system call and, with TCP_NODELAY, a
 * second segment that wakes the peer twice (bench/README.md, "proxysys").
 */
class WritesPerExchangeTest {

    private static final int PAGE = 10 << 10;

    @Test
    void eachSideOfAnExchangeIsOneWrite() throws Exception {
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) 'a');
        byte[] answer = concat(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + PAGE + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), page);
        String postBody = "b".repeat(2_000);
        Path jfr = Files.createTempFile("writes-per-exchange", ".jfr");
        int clientPort;
        int originPort;
        try (InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
             RecordingOrigin origin = new RecordingOrigin();
             WebProxy proxy = WebProxy.start(ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                     .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32")),
                     pipeline, new EventFactory(new ApplianceId("00a0de000003")), list -> { });
             RawClient c = new RawClient(proxy.addresses().get(0))) {
            origin.answer = r -> answer;
            originPort = origin.port();
            clientPort = c.socket.getLocalPort();
            try (Recording recording = new Recording()) {
                recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO).with("throttle", "off");
                recording.start();
                // two GETs on one connection (the second on the pooled origin connection), then a POST
                for (int i = 0; i < 2; i++) {
                    c.write(WebProxyTest.get(origin.url("/page")));
                    assertThat(c.read().body()).hasSize(PAGE);
                }
                c.write("POST " + origin.url("/form") + " HTTP/1.1\r\nHost: ignored.example\r\nContent-Length: " + postBody.length()
                        + "\r\n\r\n" + postBody);
                assertThat(c.read().body()).hasSize(PAGE);
                recording.stop();
                recording.dump(jfr);
            }
            assertThat(origin.requests).hasSize(3);
        }
        List<RecordedEvent> writes = RecordingFile.readAllEvents(jfr);
        Files.delete(jfr);
        // the proxy's sockets are the only ones whose peer is the origin's port or the client's
        List<Long> toOrigin = writes.stream().filter(e -> e.getInt("port") == originPort).map(e -> e.getLong("bytesWritten")).toList();
        List<Long> toClient = writes.stream().filter(e -> e.getInt("port") == clientPort).map(e -> e.getLong("bytesWritten")).toList();
        assertThat(toOrigin).as("one write per request, the POST's head and body together").hasSize(3);
        // (events come by thread buffer, not in time order) the POST's one write carries its head and body
        assertThat(toOrigin).filteredOn(bytes -> bytes > postBody.length()).hasSize(1);
        assertThat(toClient).as("one write per response, head and 10 KiB body together").hasSize(3)
                .allSatisfy(bytes -> assertThat(bytes).isGreaterThan(PAGE));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
