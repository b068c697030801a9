package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;

/**
 * Downloads past 512 KiB, which the proxy reads straight into its large held blocks
 * ({@link HeldBody#space()}), with the real engines and clamd: the client gets exactly the bytes
 * of a clean one, the notice for an infected one wherever the signature lies, and a body that
 * grows past the hold bound is streamed on whole (its slice written before the blocks go back)
 * or cut off when found infected.
 */
class LargeHeldDownloadTest {

    static final int HOLD = 4 << 20;
    static RealEngines engines;
    static TestOrigin origin;
    static WebProxy proxy;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static InetSocketAddress explicit;

    @BeforeAll
    static void start() throws Exception {
        engines = new RealEngines();
        origin = new TestOrigin();
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                .withHold(HOLD, 1 << 30)
                .withPorts(PortSet.of("443", String.valueOf(origin.port())), ProxySettings.DEFAULTS.httpPorts())
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"));
        proxy = WebProxy.start(settings, engines.pipeline, new EventFactory(new ApplianceId("00a0de000002")), events::addAll);
        explicit = proxy.addresses().get(0);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
        engines.close();
    }

    @BeforeEach
    void clear() {
        events.clear();
    }

    static byte[] random(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static RawClient.Response download(byte[] body) throws Exception {
        origin.download = body;
        try (RawClient c = new RawClient(explicit)) {
            c.write("GET " + origin.url("/download") + " HTTP/1.1\r\nHost: ignored.example\r\n\r\n");
            return c.read();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {(3 << 20) + 7, HOLD})
    void aCleanLargeBodyArrivesExactly(int size) throws Exception {
        byte[] body = random(size, size);
        for (int i = 0; i < 2; i++) { // the second time on blocks given back by the first
            RawClient.Response r = download(body);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(body);
        }
    }

    /** At the start (in the reader's buffer), in the middle and at the very end (in large blocks). */
    @ParameterizedTest
    @ValueSource(strings = {"start", "middle", "end"})
    void anInfectedLargeBodyIsNeutralisedWhereverTheSignatureLies(String where) throws Exception {
        byte[] body = random(3 << 20, 5);
        int at = switch (where) {
            case "start" -> 0;
            case "middle" -> (3 << 20) / 2 + 1001; // not at a block's edge
            default -> body.length - TestOrigin.EICAR.length;
        };
        System.arraycopy(TestOrigin.EICAR, 0, body, at, TestOrigin.EICAR.length);
        RawClient.Response r = download(body);
        assertThat(r.status()).isEqualTo(200);
        // a pass (fail-open: clamd could not answer) is published with its note: say which it was
        assertThat(r.body().length).as("the notice, not the file; events: %s", events).isLessThan(64 << 10);
        assertThat(r.text()).contains("has been neutralised").doesNotContain("EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> assertThat(e.result()).isEqualTo(Result.NEUTRALISE)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBodyThatGrowsPastTheHoldIsStreamedWholeOrCutWhenInfected(boolean infected) throws Exception {
        byte[] body = random(HOLD + (1 << 20) + 3, 9);
        if (infected) {
            System.arraycopy(TestOrigin.EICAR, 0, body, body.length - TestOrigin.EICAR.length, TestOrigin.EICAR.length);
        }
        origin.download = body;
        try (RawClient c = new RawClient(explicit)) {
            c.write("GET " + origin.url("/download") + " HTTP/1.1\r\nHost: ignored.example\r\n\r\n");
            if (!infected) {
                RawClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).as("the slice that did not fit is written before the held blocks are reused").isEqualTo(body);
                return;
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            try {
                for (int n; (n = c.socket.getInputStream().read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // cut off: that is the point
            }
            byte[] all = got.toByteArray();
            String head = new String(all, 0, Math.min(all.length, 400), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(all.length - (head.indexOf("\r\n\r\n") + 4)).as("never the whole file").isLessThan(body.length);
        }
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> assertThat(e.result()).isEqualTo(Result.NEUTRALISE)));
    }
}
