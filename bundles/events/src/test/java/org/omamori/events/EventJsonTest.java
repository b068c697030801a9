package org.omamori.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

/** {@link EventJson} writes the bytes Jackson writes ({@link EventCodec#toJson}), whatever the event holds. */
class EventJsonTest {

    /** Printable ASCII with the two characters JSON escapes made common. */
    private static final String PLAIN = "abcxyzABC019-._~:/?#[]@!$&'()*+,;=% \"\\\"\\<>{}|^`";
    /** One, two and three bytes of UTF-8, surrogates paired and alone (Jackson escapes both), controls (escaped by the event). */
    private static final String[] OTHER = {"日本", "é", "\u00a0", "\u00ff", "\u07ff", "\u0800", "\uffff", "😀", "\ud83d", "\ude00",
        "\u007f", "\n", "\u0085", "\u2028", "マルウェア"};
    /** Texts shared by many events, as a rule name or an engine is: the writer copies their bytes kept from the event before. */
    private static final String[] SHARED = {"マルウェア", "Malware", "urlfilter", "1.0.0", "", "phishing \"kit\"", "x".repeat(200)};

    @Test
    void everyEventIsWrittenAsJacksonWritesItByteForByteOneAfterAnotherInOneArray() throws Exception {
        SplittableRandom r = new SplittableRandom(18);
        EventJson out = new EventJson(64); // grows many times over
        int refused = 0;
        int written = 0;
        int[] ends = new int[20_000];
        Event[] events = new Event[ends.length];
        byte[][] expected = new byte[ends.length][];
        for (int i = 0; i < events.length; i++) {
            Event e = random(r);
            try {
                expected[written] = EventCodec.toJson(e);
            } catch (RuntimeException jackson) {
                // Were Jackson to refuse one, so must the writer, leaving nothing behind.
                int before = out.size();
                assertThatThrownBy(() -> out.write(e)).isInstanceOf(RuntimeException.class);
                assertThat(out.size()).isEqualTo(before);
                refused++;
                continue;
            }
            out.write(e);
            events[written] = e;
            ends[written++] = out.size();
        }
        for (int i = 0; i < written; i++) {
            byte[] got = Arrays.copyOfRange(out.bytes(), i == 0 ? 0 : ends[i - 1], ends[i]);
            assertThat(new String(got, StandardCharsets.UTF_8)).as("event %d", i).isEqualTo(new String(expected[i], StandardCharsets.UTF_8));
            assertThat(got).as("event %d", i).isEqualTo(expected[i]);
            assertThat(EventCodec.fromJson(got)).isEqualTo(events[i]);
        }
        assertThat(refused).as("Jackson refused none").isZero();
    }

    @Test
    void timesAreWrittenAsInstantWritesThemFromTheFirstYearToTheLastOfFourDigitsAndBeyond() {
        SplittableRandom r = new SplittableRandom(7);
        EventJson out = new EventJson(64);
        long[] edges = {0, 59, 60, -1, -62_167_219_200L, -62_167_219_201L, 253_402_300_799L, 253_402_300_800L, 1_800_000_000L};
        for (int i = 0; i < 20_000; i++) {
            long second = i < edges.length ? edges[i] : r.nextBoolean() ? 1_700_000_000L + r.nextInt(100_000_000)
                    : r.nextLong(-62_167_219_200L - 1_000_000, 253_402_300_800L + 1_000_000);
            int nano = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            Event e = event(t, t.plusMillis(r.nextInt(3)), "x", "y");
            String last = e.count() > 1 ? "\"last\":\"" + e.last() + "\"" : "\"note\":\"y\"";
            int start = out.size();
            out.write(e);
            String json = new String(out.bytes(), start, out.size() - start, StandardCharsets.UTF_8);
            assertThat(json).contains("\"time\":\"" + t + "\"").contains(last)
                    .isEqualTo(new String(EventCodec.toJson(e), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aWriterTruncatedAndReusedWritesTheSame() {
        EventJson out = new EventJson(64);
        Event e = event(Instant.parse("2026-12-06T13:00:00Z"), Instant.parse("2026-12-06T13:00:00Z"), "a.example.jp", "");
        int header = out.skip(8);
        out.write(e);
        assertThat(header).isZero();
        out.truncate(0);
        out.write(e);
        assertThat(Arrays.copyOf(out.bytes(), out.size())).isEqualTo(EventCodec.toJson(e));
    }

    private static Event random(SplittableRandom r) throws Exception {
        Instant time = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(10_000_000), r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000_000));
        long count = r.nextInt(3) == 0 ? 1 + r.nextInt(Integer.MAX_VALUE) : 1;
        Instant last = count == 1 ? time : time.plusNanos(r.nextLong(1, 86_400_000_000_000L));
        InetAddress source = r.nextBoolean() ? InetAddress.getByAddress(bytes(r, 4)) : InetAddress.getByAddress(bytes(r, 16));
        InetAddress destination = r.nextBoolean() ? InetAddress.getByAddress(bytes(r, 4)) : InetAddress.getByName("::1");
        Optional<MacAddress> mac = r.nextBoolean() ? Optional.empty() : Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e"));
        return new Event(new EventId(new UUID((r.nextLong() & ~0xf000L) | 0x7000L, (r.nextLong() & ~(3L << 62)) | (2L << 62))),
                new ApplianceId(String.format("%012x", r.nextLong(1L << 48))), time,
                Kind.values()[r.nextInt(Kind.values().length)],
                new ZonePair(r.nextBoolean() ? Zone.LAN : Zone.SSID_PRIMARY, Zone.WAN), source, r.nextInt(65536), destination,
                r.nextInt(65536), mac, text(r, 80), text(r, 300), text(r, 80), new SecurityFunction(r.nextBoolean() ? "dns-filtering" : "ips"),
                shared(r, 20), shared(r, 10), text(r, 20), shared(r, 60), Result.values()[r.nextInt(Result.values().length)],
                Level.values()[r.nextInt(Level.values().length)], r.nextInt(101),
                r.nextBoolean() ? Evidence.NONE : Evidence.PHISHING, shared(r, 60), count, last);
    }

    /** Mostly printable ASCII; now and then one other character, so events take either path. */
    private static String text(SplittableRandom r, int max) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            b.append(PLAIN.charAt(r.nextInt(PLAIN.length())));
        }
        if (n > 0 && r.nextInt(20) == 0) {
            b.insert(r.nextInt(b.length()), OTHER[r.nextInt(OTHER.length)]);
        }
        return b.toString();
    }

    private static String shared(SplittableRandom r, int max) {
        String shared = SHARED[r.nextInt(SHARED.length)];
        // a text made anew for each event but equal (a note put together per event) is kept by its content
        return r.nextInt(4) == 0 ? text(r, max) : r.nextBoolean() ? shared : new String(shared.toCharArray());
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static Event event(Instant time, Instant last, String host, String note) {
        try {
            return new Event(new EventId(new UUID(0x0190_0000_0000_7000L, 0x8000_0000_0000_0001L)), new ApplianceId("00a0de123456"),
                    time, Kind.THREAT, ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.10"), 5353,
                    InetAddress.getByName("192.168.1.1"), 53, Optional.empty(), host, "", host,
                    new SecurityFunction("dns-filtering"), "urlfilter", "1.0.0", "", "", Result.BLOCK, Level.HIGH, 90,
                    Evidence.PHISHING, note, time.equals(last) ? 1 : 2, last);
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }
}
