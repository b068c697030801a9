package org.omamori.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;

/** Folding of events per window with the DNS filter's key (docs/dns-filter.md "Events", decision 0028). */
class EventTallyTest {

    static final EngineDescriptor URL = new EngineDescriptor("urlfilter", "1.0.0", java.util.Set.of(SecurityFunction.URL_FILTERING));
    static final Duration WINDOW = Duration.ofSeconds(60);

    /** A clock the test moves: wall time for the events, monotonic time for the windows. */
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Instant start = Instant.parse("2026-11-23T01:00:00Z");
    final Clock wall = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusNanos(nanos.get() - 1_000_000_000L);
        }
    };
    final EventFactory factory = new EventFactory(ApplianceId.parse("0000000000a4"), new EventIds(wall), wall);
    final List<List<Event>> out = java.util.Collections.synchronizedList(new ArrayList<>());

    EventTally tally(int maxKeys) {
        return new EventTally(WINDOW, maxKeys, nanos::get, out::add);
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    List<Event> sent() {
        synchronized (out) {
            return out.stream().flatMap(List::stream).toList();
        }
    }

    long occurrences(List<Event> events) {
        return events.stream().mapToLong(Event::count).sum();
    }

    Event allowed(String name, String client) {
        return event(name, client, Verdict.clean());
    }

    Event news(String name, String client) {
        return event(name, client, Verdict.pass(new Finding("category:news", "ニュース / News", Level.LOW, 100)));
    }

    Event blocked(String name, String client) {
        return event(name, client, Verdict.block(new Finding("category:phishing", "フィッシング詐欺 / Phishing", Level.HIGH, 100,
                org.omamori.api.engine.Evidence.PHISHING)));
    }

    Event event(String name, String client, Verdict verdict) {
        try {
            InspectionRequest request = InspectionRequest.dns(name)
                    .connection(new Connection(new ZonePair(Zone.LAN, Zone.WAN), InetAddress.getByName(client),
                            40_000 + (int) (nanos.get() % 20_000), InetAddress.getByName("192.0.2.53"), 53, Optional.empty()))
                    .build();
            PipelineResult result = new PipelineResult(verdict,
                    List.of(new EngineResult(URL, EngineResult.Outcome.DECIDED, verdict, "", Duration.ZERO)));
            return factory.of(request, result, true).getFirst();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAllowedNameIsOneEventPerClientAndWindowWithCountFirstAndLast() {
        EventTally t = tally(100);
        Instant first = wall.instant();
        for (int i = 0; i < 500; i++) {
            t.add(allowed("www.example.jp", "192.168.1.10"));
            t.add(allowed("www.example.jp", "192.168.1.11"));
            advance(Duration.ofMillis(100)); // 50 s in all: inside the window
        }
        t.add(news("www.news.jp", "192.168.1.10"));
        Instant last = wall.instant();
        assertThat(out).isEmpty(); // nothing leaves before the window ends
        t.flushDue();
        assertThat(out).isEmpty();

        advance(Duration.ofSeconds(10)); // the window ends at 60 s
        t.flushDue();
        List<Event> sent = sent();
        assertThat(sent).hasSize(3);
        assertThat(occurrences(sent)).isEqualTo(1001);
        Event ten = sent.stream().filter(e -> e.dnsName().equals("www.example.jp") && e.source().getHostAddress().equals("192.168.1.10"))
                .findFirst().orElseThrow();
        assertThat(ten.kind()).isEqualTo(Kind.ACCESS);
        assertThat(ten.count()).isEqualTo(500);
        assertThat(ten.time()).isEqualTo(first);
        assertThat(ten.last()).isEqualTo(first.plusMillis(49_900));
        Event news = sent.stream().filter(e -> e.dnsName().equals("www.news.jp")).findFirst().orElseThrow();
        assertThat(news.count()).isEqualTo(1);
        assertThat(news.ruleId()).isEqualTo("category:news");
        assertThat(news.time()).isEqualTo(last).isEqualTo(news.last());
        assertThat(sent).extracting(Event::id).doesNotHaveDuplicates();
        assertThat(t.keys()).isZero();
    }

    @Test
    void windowEdgesAnOccurrenceAtTheEndBelongsToTheNextWindow() {
        EventTally t = tally(100);
        t.add(allowed("a.example.jp", "192.168.1.10"));
        advance(WINDOW.minusNanos(1));
        t.add(allowed("a.example.jp", "192.168.1.10")); // the last nanosecond of the first window
        advance(Duration.ofNanos(1));
        t.add(allowed("a.example.jp", "192.168.1.10")); // exactly at the end: the second window's, and it flushes the first
        assertThat(sent()).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(2));
        advance(WINDOW.minusNanos(1));
        t.flushDue();
        assertThat(sent()).hasSize(1);
        advance(Duration.ofNanos(1));
        t.flushDue();
        assertThat(sent()).extracting(Event::count).containsExactly(2L, 1L);

        // a quiet stretch of several windows: the next window keeps to the grid
        advance(WINDOW.multipliedBy(3).plusSeconds(30));
        t.add(allowed("a.example.jp", "192.168.1.10"));
        advance(Duration.ofSeconds(29));
        t.flushDue();
        assertThat(sent()).hasSize(2);
        advance(Duration.ofSeconds(1));
        t.flushDue();
        assertThat(sent()).hasSize(3);
    }

    @Test
    void aBlockGoesOutAtOnceAndItsRepeatsInTheWindowAsOneCountedEvent() {
        EventTally t = tally(100);
        t.add(blocked("login.evil.test", "192.168.1.10"));
        assertThat(sent()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.THREAT);
            assertThat(e.count()).isEqualTo(1);
        });
        Instant firstRepeat = null;
        for (int i = 0; i < 10_000; i++) { // a client looping on a blocked name
            advance(Duration.ofMillis(5));
            if (firstRepeat == null) {
                firstRepeat = wall.instant();
            }
            t.add(blocked("login.evil.test", "192.168.1.10"));
        }
        assertThat(sent()).hasSize(1);
        t.add(blocked("login.evil.test", "192.168.1.99")); // another client: its own first event at once
        assertThat(sent()).hasSize(2);
        advance(Duration.ofSeconds(10));
        t.flushDue();
        List<Event> sent = sent();
        assertThat(sent).hasSize(3);
        assertThat(occurrences(sent)).isEqualTo(10_002);
        Event repeats = sent.get(2);
        assertThat(repeats.count()).isEqualTo(10_000);
        assertThat(repeats.time()).isEqualTo(firstRepeat);
        assertThat(repeats.last()).isEqualTo(firstRepeat.plusMillis(5 * 9_999));
        assertThat(repeats.result()).isEqualTo(Result.BLOCK);
        assertThat(sent).extracting(Event::id).doesNotHaveDuplicates();

        // the next window: the first block of it is reported at once again
        t.add(blocked("login.evil.test", "192.168.1.10"));
        assertThat(sent()).hasSize(4);
    }


    @Test
    void theFirstFewBlocksOfAWindowGoOutOneEventEachAndOnlyALoopIsCounted() {
        EventTally t = tally(100).threatsAlone(30);
        for (int i = 0; i < 30; i++) { // a person retrying a blocked page: every block its own event, at once
            advance(Duration.ofMillis(100));
            t.add(blocked("login.evil.test", "192.168.1.10"));
            assertThat(sent()).hasSize(i + 1);
        }
        assertThat(sent()).allSatisfy(e -> assertThat(e.count()).isEqualTo(1));
        advance(Duration.ofMillis(100));
        Instant firstFolded = wall.instant();
        for (int i = 0; i < 5_000; i++) { // then a loop: counted, not sent one by one
            t.add(blocked("login.evil.test", "192.168.1.10"));
        }
        assertThat(sent()).hasSize(30);
        advance(WINDOW);
        t.flushDue();
        List<Event> sent = sent();
        assertThat(sent).hasSize(31);
        assertThat(occurrences(sent)).isEqualTo(5_030);
        assertThat(sent.get(30).count()).isEqualTo(5_000);
        assertThat(sent.get(30).time()).isEqualTo(firstFolded);
        assertThat(sent).extracting(Event::id).doesNotHaveDuplicates();

        // a new window: the first few alone again
        t.add(blocked("login.evil.test", "192.168.1.10"));
        t.add(blocked("login.evil.test", "192.168.1.10"));
        assertThat(sent()).hasSize(33);
        assertThatThrownBy(() -> t.threatsAlone(0)).isInstanceOf(IllegalArgumentException.class);
    }
    @Test
    void whenTheKeysAreFullTheHeldCountsGoOutEarlyAndNoneIsLost() {
        EventTally t = tally(16);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 40; i++) {
                t.add(allowed("host" + i + ".example.jp", "192.168.1.10"));
                assertThat(t.keys()).isLessThanOrEqualTo(16);
            }
        }
        assertThat(out).isNotEmpty(); // flushed early, inside the window
        t.close();
        assertThat(occurrences(sent())).isEqualTo(120);
        assertThat(t.keys()).isZero();
    }

    @Test
    void manyDifferentBlockedNamesDoNotPushTheAllowedCountsOutEarly() {
        // 16 stripes of 16 keys: room for the 16 allowed names however they fall, far less than the blocked names
        EventTally t = tally(256);
        for (int i = 0; i < 5_000; i++) {
            t.add(allowed("www" + (i % 16) + ".example.jp", "192.168.1.10"));
            t.add(blocked("b" + i + ".evil.test", "192.168.1.10")); // each once: reported at once, nothing to fold
            assertThat(t.keys()).isLessThanOrEqualTo(256);
        }
        List<Event> early = sent();
        assertThat(early).hasSize(5_000).allSatisfy(e -> assertThat(e.kind()).isEqualTo(Kind.THREAT));
        t.close();
        List<Event> access = sent().stream().filter(e -> e.kind() == Kind.ACCESS).toList();
        assertThat(access).hasSize(16);
        assertThat(occurrences(access)).isEqualTo(5_000);
    }

    @Test
    void aHostileClientSending100kDistinctNamesStaysBounded() {
        EventTally t = tally(1_000);
        int max = 0;
        for (int i = 0; i < 100_000; i++) {
            t.add(allowed("x" + i + ".flood.example", "192.168.1.66"));
            if ((i & 1023) == 0) {
                max = Math.max(max, t.keys());
            }
        }
        max = Math.max(max, t.keys());
        assertThat(max).isLessThanOrEqualTo(1_000);
        t.close();
        List<Event> sent = sent();
        assertThat(sent).hasSize(100_000); // nothing to fold: every name once, none lost
        assertThat(occurrences(sent)).isEqualTo(100_000);
    }

    @Test
    void closeSendsEverythingHeldAndLaterEventsGoStraightThrough() {
        EventTally t = tally(100).start("test-event-window");
        t.add(allowed("www.example.jp", "192.168.1.10"));
        t.add(allowed("www.example.jp", "192.168.1.10"));
        t.add(blocked("login.evil.test", "192.168.1.10"));
        t.add(blocked("login.evil.test", "192.168.1.10"));
        assertThat(sent()).hasSize(1);
        t.close();
        assertThat(sent()).hasSize(3);
        assertThat(occurrences(sent())).isEqualTo(4);
        t.add(allowed("late.example.jp", "192.168.1.10"));
        assertThat(sent()).hasSize(4);
    }

    @Test
    void theTimerFlushesAQuietWindow() {
        EventTally t = new EventTally(Duration.ofMillis(200), 100, System::nanoTime, out::add).start("test-event-window");
        try {
            t.add(allowed("www.example.jp", "192.168.1.10"));
            t.add(allowed("www.example.jp", "192.168.1.10"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !out.isEmpty());
            assertThat(sent()).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(2));
        } finally {
            t.close();
        }
    }

    @Test
    void aZeroWindowFoldsNothing() {
        EventTally t = new EventTally(Duration.ZERO, 100, nanos::get, out::add);
        t.add(allowed("www.example.jp", "192.168.1.10"));
        t.add(allowed("www.example.jp", "192.168.1.10"));
        assertThat(sent()).hasSize(2).allSatisfy(e -> assertThat(e.count()).isEqualTo(1));
    }

    @Test
    void manyThreadsCountEveryOccurrence() throws Exception {
        EventTally t = new EventTally(Duration.ofMillis(50), 1_000, System::nanoTime, out::add).start("test-event-window");
        List<Thread> threads = new ArrayList<>();
        List<Event> made = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            made.add(allowed("n" + (i % 100) + ".example.jp", "192.168.1." + (i % 7)));
        }
        for (int th = 0; th < 4; th++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < 250; r++) {
                    for (Event e : made) {
                        t.add(e);
                    }
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        t.close();
        assertThat(occurrences(sent())).isEqualTo(4L * 250 * 400);
        assertThat(sent().size()).isLessThan(4 * 250 * 400 / 10);
    }

    static final EngineDescriptor NDPI = new EngineDescriptor("appid-ndpi", "4.14.0",
            java.util.Set.of(SecurityFunction.APPLICATION_IDENTIFICATION));

    /** An application identification as the nDPI engine reports it, on a TLS connection to {@code server}. */
    Event app(String slug, String name, String client, String server, int confidence) {
        try {
            Verdict verdict = Verdict.pass(new Finding("app:video:" + slug, name, Level.LOW, confidence,
                    org.omamori.api.engine.Evidence.NONE));
            InspectionRequest request = InspectionRequest.tls(slug + ".example.com")
                    .connection(new Connection(new ZonePair(Zone.LAN, Zone.WAN), InetAddress.getByName(client),
                            40_000 + (int) (nanos.get() % 20_000), InetAddress.getByName(server), 443, Optional.empty()))
                    .build();
            PipelineResult result = new PipelineResult(verdict,
                    List.of(new EngineResult(NDPI, EngineResult.Outcome.DECIDED, verdict, "", Duration.ZERO)));
            return factory.of(request, result, true).getFirst();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    EventTally applications(int maxKeys) {
        return new EventTally(WINDOW, maxKeys, nanos::get, EventTally.applications(), out::add);
    }

    @Test
    void applicationsAreOneEventPerAppAndClientWhateverTheServer() {
        EventTally t = applications(100);
        Instant first = wall.instant();
        for (int i = 0; i < 300; i++) { // YouTube from many CDN addresses, with the engine's confidence varying
            t.add(app("youtube", "YouTube", "192.168.1.10", "203.0.113." + (i % 50), i % 2 == 0 ? 100 : 80));
            advance(Duration.ofMillis(100));
        }
        t.add(app("youtube", "YouTube", "192.168.1.11", "203.0.113.1", 100));
        t.add(app("line", "LINE", "192.168.1.10", "198.51.100.7", 100));
        assertThat(out).isEmpty();
        advance(Duration.ofSeconds(30));
        t.flushDue();
        List<Event> sent = sent();
        assertThat(sent).hasSize(3);
        assertThat(occurrences(sent)).isEqualTo(302);
        Event youtube = sent.stream().filter(e -> e.ruleName().equals("YouTube") && e.source().getHostAddress().equals("192.168.1.10"))
                .findFirst().orElseThrow();
        assertThat(youtube.count()).isEqualTo(300);
        assertThat(youtube.ruleId()).isEqualTo("app:video:youtube");
        assertThat(youtube.function()).isEqualTo(SecurityFunction.APPLICATION_IDENTIFICATION);
        assertThat(youtube.destination().getHostAddress()).isEqualTo("203.0.113.0"); // the first connection's
        assertThat(youtube.time()).isEqualTo(first);
        assertThat(youtube.last()).isEqualTo(first.plusMillis(29_900));
    }

    @Test
    void theApplicationKeyLetsEverythingElseThroughAtOnce() {
        EventTally t = applications(100);
        t.add(allowed("www.example.jp", "192.168.1.10"));
        t.add(allowed("www.example.jp", "192.168.1.10"));
        t.add(blocked("login.evil.test", "192.168.1.10"));
        t.add(blocked("login.evil.test", "192.168.1.10"));
        assertThat(sent()).hasSize(4).allSatisfy(e -> assertThat(e.count()).isEqualTo(1));
        t.add(app("bittorrent", "BitTorrent", "192.168.1.10", "198.51.100.9", 100));
        assertThat(sent()).hasSize(4);
        t.close();
        assertThat(sent()).hasSize(5);
    }

    @Test
    void keysOfOneStripeSpreadOverTheStripesBuckets() {
        // A stripe's HashMap indexes by the hash's low bits (after its own h ^ h >>> 16): the stripe
        // must not be chosen by those same bits, or its keys share them and crowd into few buckets.
        java.util.Set<Integer> buckets = new java.util.HashSet<>();
        java.util.Set<Integer> stripes = new java.util.HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            int h = ("sub" + i + ".blocked.example").hashCode();
            int stripe = EventTally.stripeOf(h, 16);
            stripes.add(stripe);
            if (stripe == 0) {
                buckets.add((h ^ (h >>> 16)) & 1023);
            }
        }
        assertThat(stripes).hasSize(16);
        assertThat(buckets).hasSizeGreaterThan(1000); // of 1,024; choosing by the low bits left 64
        assertThat(EventTally.stripeOf(-1, 1)).isZero();
        assertThat(EventTally.stripeOf(Integer.MIN_VALUE, 16)).isBetween(0, 15);
    }

    @Test
    void eventsThatDifferInAnyKeyedFactAreNotFoldedTogether() throws Exception {
        // Every component of the event but id, time, client port, count and last is part of the key
        // (and the appliance: one tally serves one appliance).
        Event base = news("www.example.jp", "192.168.1.10");
        java.lang.reflect.RecordComponent[] parts = Event.class.getRecordComponents();
        java.util.Map<String, Object> other = java.util.Map.ofEntries(
                java.util.Map.entry("kind", Kind.THREAT),
                java.util.Map.entry("zones", new ZonePair(Zone.SSID_PRIMARY, Zone.WAN)),
                java.util.Map.entry("source", InetAddress.getByName("192.168.1.99")),
                java.util.Map.entry("destination", InetAddress.getByName("192.0.2.54")),
                java.util.Map.entry("destinationPort", 5353),
                java.util.Map.entry("mac", Optional.of(org.omamori.api.engine.MacAddress.parse("00:1a:2b:3c:4d:5e"))),
                java.util.Map.entry("host", "other.example.jp"), java.util.Map.entry("url", "https://other.example.jp/"),
                java.util.Map.entry("dnsName", "other.example.jp"), java.util.Map.entry("function", SecurityFunction.IPS),
                java.util.Map.entry("engineId", "urlfilter2"), java.util.Map.entry("engineVersion", "1.0.1"),
                java.util.Map.entry("ruleId", "category:sns"), java.util.Map.entry("ruleName", "SNS"),
                java.util.Map.entry("result", Result.BLOCK), java.util.Map.entry("level", Level.HIGH),
                java.util.Map.entry("confidence", 99), java.util.Map.entry("evidence", org.omamori.api.engine.Evidence.PHISHING),
                java.util.Map.entry("note", "別の注記"));
        java.util.function.Function<Event, ?> key = EventTally.everyFact();
        for (java.lang.reflect.RecordComponent part : parts) {
            Object[] args = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                args[i] = parts[i].getAccessor().invoke(base);
            }
            Object[] changed = args.clone();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals(part)) {
                    changed[i] = other.get(part.getName());
                }
            }
            Class<?>[] types = java.util.Arrays.stream(parts).map(java.lang.reflect.RecordComponent::getType).toArray(Class[]::new);
            java.lang.reflect.Constructor<Event> make = Event.class.getDeclaredConstructor(types);
            Event same = make.newInstance(args);
            assertThat(key.apply(same)).isEqualTo(key.apply(base)).hasSameHashCodeAs(key.apply(base));
            if (other.containsKey(part.getName())) {
                Event variant = make.newInstance(changed);
                assertThat(key.apply(variant)).as(part.getName()).isNotEqualTo(key.apply(base));
            } else {
                assertThat(part.getName()).isIn("id", "appliance", "time", "sourcePort", "count", "last");
            }
        }
    }

    static final EngineDescriptor IPS = new EngineDescriptor("ips", "1.0.0", java.util.Set.of(SecurityFunction.IPS));

    /** One DNS query's inspection: a request from {@code client}:{@code port} and the pipeline's results on it. */
    record Inspection(InspectionRequest request, PipelineResult result) {
    }

    Inspection inspection(String name, String client, int port, List<EngineResult> results) {
        try {
            InspectionRequest request = InspectionRequest.dns(name)
                    .connection(new Connection(new ZonePair(Zone.LAN, Zone.WAN), InetAddress.getByName(client), port,
                            InetAddress.getByName("192.0.2.53"), 53, Optional.empty()))
                    .build();
            Verdict merged = Verdict.clean();
            for (EngineResult r : results) {
                if (r.verdict().outranks(merged)) {
                    merged = r.verdict();
                }
            }
            return new Inspection(request, new PipelineResult(merged, results));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An event as the cloud sees it, all but its id (the two paths draw ids differently). */
    record Seen(EventFacts facts, Instant time, int sourcePort, long count, Instant last) {
        static Seen of(Event e) {
            return new Seen(EventFacts.of(e), e.time(), e.sourcePort(), e.count(), e.last());
        }
    }

    @Test
    void countingAnInspectionGivesTheSameEventsAsAddingTheEventsMadeOfIt() {
        // The DNS filter counts an inspection without making the events of keys it holds; what leaves
        // the tally must be what adding every event would have sent: same facts, first time and
        // port, count and last time, in the same order — over windows, early flushes of a full
        // stripe, blocks and their repeats, several engines' results and a failed engine.
        List<List<Event>> viaEvents = java.util.Collections.synchronizedList(new ArrayList<>());
        List<List<Event>> viaCount = java.util.Collections.synchronizedList(new ArrayList<>());
        EventTally added = new EventTally(WINDOW, 64, nanos::get, viaEvents::add).threatsAlone(3);
        EventTally counted = new EventTally(WINDOW, 64, nanos::get, viaCount::add).threatsAlone(3); // blocks sent alone, then folded
        Finding news = new Finding("category:news", "ニュース / News", Level.LOW, 100);
        Finding phishing = new Finding("category:phishing", "フィッシング詐欺 / Phishing", Level.HIGH, 100,
                org.omamori.api.engine.Evidence.PHISHING);
        Finding rule = new Finding("sid:2027865", "ET DNS Query for .onion", Level.MEDIUM, 80,
                org.omamori.api.engine.Evidence.NONE);
        Finding rule2 = new Finding("sid:2027866", "ET DNS Query to a *.top domain", Level.LOW, 60,
                org.omamori.api.engine.Evidence.NONE);
        java.util.Random random = new java.util.Random(18);
        for (int i = 0; i < 6_000; i++) {
            String name = "n" + random.nextInt(40) + ".example.jp";
            String client = "192.168.1." + (10 + random.nextInt(3));
            int port = 1024 + random.nextInt(60_000);
            List<EngineResult> results = switch (random.nextInt(6)) {
                case 0, 1 -> List.of(new EngineResult(URL, EngineResult.Outcome.DECIDED, Verdict.clean(), "", Duration.ZERO));
                case 2 -> List.of(new EngineResult(URL, EngineResult.Outcome.DECIDED, Verdict.pass(news), "", Duration.ZERO));
                case 3 -> List.of(new EngineResult(URL, EngineResult.Outcome.DECIDED, Verdict.block(phishing), "", Duration.ZERO));
                case 4 -> List.of(new EngineResult(URL, EngineResult.Outcome.DECIDED, Verdict.clean(), "", Duration.ZERO),
                        new EngineResult(IPS, EngineResult.Outcome.DECIDED,
                                Verdict.of(List.of(Verdict.block(rule), Verdict.pass(rule2))), "", Duration.ZERO));
                default -> List.of(new EngineResult(URL, EngineResult.Outcome.TIMEOUT, Verdict.clean(), "no verdict within 100 ms",
                        Duration.ZERO), new EngineResult(IPS, EngineResult.Outcome.DECIDED, Verdict.clean(), "", Duration.ZERO));
            };
            Inspection x = inspection(name, client, port, results);
            for (Event e : factory.of(x.request(), x.result(), true)) {
                added.add(e);
            }
            counted.count(factory, x.request(), x.result(), true);
            advance(Duration.ofMillis(random.nextInt(40)));
            if (i % 500 == 0) {
                added.flushDue();
                counted.flushDue();
            }
        }
        added.close();
        counted.close();
        List<Seen> expected = viaEvents.stream().flatMap(List::stream).map(Seen::of).toList();
        List<Seen> seen = viaCount.stream().flatMap(List::stream).map(Seen::of).toList();
        assertThat(expected).hasSizeGreaterThan(1_000); // windows, early flushes and blocks: not one big fold
        assertThat(expected.stream().filter(e -> e.count() > 1)).hasSizeGreaterThan(100);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(viaCount.stream().flatMap(List::stream).map(Event::id)).doesNotHaveDuplicates();
    }

    @Test
    void theFactsOfAnInspectionAreTheKeyOfItsEvent() {
        Inspection x = inspection("www.example.jp", "192.168.1.10", 40_001,
                List.of(new EngineResult(URL, EngineResult.Outcome.DECIDED, Verdict.clean(), "", Duration.ZERO)));
        EngineResult engine = x.result().results().getFirst();
        EventFacts facts = factory.facts(x.request(), engine, engine.verdict(), false);
        Event event = factory.of(x.request(), x.result(), true).getFirst();
        assertThat(facts).isEqualTo(EventFacts.of(event)).hasSameHashCodeAs(EventFacts.of(event));
        Event made = factory.event(facts, 40_001, event.time());
        assertThat(EventFacts.of(made)).isEqualTo(facts);
        assertThat(made).usingRecursiveComparison().ignoringFields("id").isEqualTo(event);
        // an event from another port or time is the same key; another client or name is not
        Inspection other = inspection("www.example.jp", "192.168.1.11", 40_001, x.result().results());
        assertThat(factory.facts(other.request(), engine, engine.verdict(), false)).isNotEqualTo(facts);
        Inspection port = inspection("www.example.jp", "192.168.1.10", 50_000, x.result().results());
        assertThat(factory.facts(port.request(), engine, engine.verdict(), false)).isEqualTo(facts);
    }
}
