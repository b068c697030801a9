package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.uplink.CloudClient;
import org.omamori.uplink.CloudTls;
import org.omamori.uplink.Uplink;
import org.omamori.uplink.UplinkSettings;

/**
 * The exported cloud runtime (distribution/cloud, its default embedded H2 file database) is killed
 * with SIGKILL while five appliances (the real spool and uplink of bundles/spool, in this JVM) ship
 * events to it, and started again on the same home and port. Every event any appliance made is
 * then stored exactly once, every spool drains, and the acknowledgements the appliances counted
 * match the rows (ARCHITECTURE rule 4: at-least-once transport, ingest idempotent on the id).
 * The port is fixed (a free one found here), so the appliances' cloud URL stays valid across the
 * restart. {@code -Domamori.crashTest.h2Options=;WRITE_DELAY=0} runs the same test with options
 * added to the store's default H2 URL (through {@code etc/org.omamori.store.cfg}).
 */
class CloudCrashTest {

    static final Path LAUNCHER = Path.of(System.getProperty("omamori.cloudJar"));
    static final int APPLIANCES = 5;
    /** Each appliance publishes this many events every {@link #PUBLISH_EVERY_MILLIS}: 2,000 events/s in all. */
    static final int EVENTS_PER_PUBLISH = 20;
    static final long PUBLISH_EVERY_MILLIS = 50;
    /** The kill comes once the cloud has acknowledged this many events (it is then busy ingesting). */
    static final long ACKED_BEFORE_KILL = 3_000;

    @TempDir
    Path dir;

    @Test
    void aKillNineDuringIngestLosesNoAcknowledgedEventAndStoresNoneTwice() throws Exception {
        assertThat(LAUNCHER).as("build distribution/cloud first").isRegularFile();
        Path home = Files.createDirectories(dir.resolve("cloud")).toRealPath();
        int port = freePort();
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.omamori.cloud.api.cfg"), "host = 127.0.0.1\nport = " + port + "\n");
        // The store component's default database (no org.omamori.store.cfg): an H2 file under the home.
        Path database = home.resolve("state/cloud/omamori");
        String h2Options = System.getProperty("omamori.crashTest.h2Options", "");
        if (!h2Options.isEmpty()) {
            // For trying a setting of the same file (e.g. ";WRITE_DELAY=0"): the default URL plus these options.
            Files.writeString(home.resolve("etc/org.omamori.store.cfg"), "jdbcUrl = " + StoreSettings.defaultJdbcUrl(home) + h2Options + "\n");
        }

        // Tenancy first: the H2 file is locked while the cloud runs.
        List<ApplianceId> appliances = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        try (Store store = Store.open(StoreSettings.h2File(database))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("近畿セキュリティ販売"), "株式会社クラッシュ試験");
            for (int i = 1; i <= APPLIANCES; i++) {
                ApplianceId id = new ApplianceId(String.format("00c4a54000%02x", i));
                appliances.add(id);
                codes.add(store.tenants().registerAppliance(customer, id));
            }
        }

        RunningCloud cloud = RunningCloud.start(home, port);
        List<SimulatedAppliance> fleet = new ArrayList<>();
        AnswerCounter answers = new AnswerCounter();
        AtomicBoolean producing = new AtomicBoolean(true);
        List<Thread> producers = new ArrayList<>();
        long ackedBeforeKill;
        long killedAt = 0;
        long startedAt = System.nanoTime();
        try {
            cloud.awaitInService();
            for (int i = 0; i < APPLIANCES; i++) {
                fleet.add(SimulatedAppliance.start(dir.resolve("appliance-" + i), appliances.get(i), codes.get(i),
                        URI.create("https://localhost:" + port + "/"), home.resolve("tls/cloud.pem"), answers));
            }
            for (SimulatedAppliance a : fleet) {
                producers.add(Thread.ofPlatform().name("producer-" + a.id).start(() -> a.produce(producing)));
            }

            // A liveness bound, not a speed test: on a 2-core box under other load the first acknowledgements
            // took longer than 30 s (the uplink's requests timed out and were retried), so the bound is wide.
            await("the cloud acknowledges " + ACKED_BEFORE_KILL + " events").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20)).until(() -> acked(fleet) >= ACKED_BEFORE_KILL);
            cloud.kill();
            killedAt = System.currentTimeMillis();
            long ackedAtKill = acked(fleet);
            ackedBeforeKill = ackedAtKill;

            // The appliances keep producing and retrying while the cloud is away and after it is back.
            cloud = RunningCloud.start(home, port);
            cloud.awaitInService();
            await("the appliances ship again after the restart").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() -> acked(fleet) >= ackedAtKill + 2_000);
            producing.set(false);
            for (Thread p : producers) {
                p.join(5_000);
            }
            await("every spool drains").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .until(() -> fleet.stream().allMatch(a -> a.spool.counters().pending() == 0));
        } finally {
            producing.set(false);
            for (SimulatedAppliance a : fleet) {
                a.close();
            }
            cloud.stop();
        }

        // Count what the database holds, the cloud being down (it holds the file's lock while it runs).
        Set<UUID> produced = new HashSet<>();
        long producedCount = 0;
        long spoolAcked = 0;
        long uplinkSent = 0;
        for (SimulatedAppliance a : fleet) {
            produced.addAll(a.made);
            producedCount += a.made.size();
            spoolAcked += a.spool.counters().acked();
            uplinkSent += a.uplink.sent();
            assertThat(a.spool.counters().quarantined()).as("events quarantined by %s", a.id).isZero();
            assertThat(a.spool.counters().dropped()).as("events dropped by %s", a.id).isZero();
        }
        assertThat(produced).as("event ids made").hasSize((int) producedCount);

        long rows;
        Set<UUID> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + database, "sa", "");
             Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM events")) {
                r.next();
                rows = r.getLong(1);
            }
            try (ResultSet r = s.executeQuery("SELECT id, COUNT(*) FROM events GROUP BY id HAVING COUNT(*) > 1")) {
                assertThat(r.next()).as("an event id stored twice").isFalse();
            }
            try (ResultSet r = s.executeQuery("SELECT id FROM events")) {
                while (r.next()) {
                    stored.add(r.getObject(1, UUID.class));
                }
            }
        }
        Set<UUID> missing = new HashSet<>(produced);
        missing.removeAll(stored);
        Set<UUID> extra = new HashSet<>(stored);
        extra.removeAll(produced);

        System.out.printf("kill -9 of the cloud during ingest: %d events produced by %d appliances, %d acknowledged before"
                        + " the kill, %d stored (%d rows), %d missing, %d unexpected; cloud answers: %d received, %d stored,"
                        + " %d duplicates (replays of batches stored but not answered before the kill); %.1f s%n",
                producedCount, APPLIANCES, ackedBeforeKill, stored.size(), rows, missing.size(), extra.size(),
                answers.received.get(), answers.stored.get(), answers.duplicates.get(),
                (System.nanoTime() - startedAt) / 1e9);

        if (!missing.isEmpty()) {
            // UUIDv7: the first 48 bits are the milliseconds the event was made.
            long first = missing.stream().mapToLong(u -> u.getMostSignificantBits() >>> 16).min().orElseThrow();
            long last = missing.stream().mapToLong(u -> u.getMostSignificantBits() >>> 16).max().orElseThrow();
            // Each was answered 200 (the spools drained, nothing quarantined); the restarted process was stopped
            // cleanly, so the answer came from the killed one.
            System.out.printf("LOST: %d events the killed cloud process acknowledged with HTTP 200 are not in the database"
                    + " (made %d..%d ms before the kill)%n", missing.size(), killedAt - last, killedAt - first);
        }
        assertThat(missing).as("events acknowledged by the cloud (the spools drained, nothing quarantined) but not stored: lost")
                .isEmpty();
        assertThat(extra).as("rows nobody made").isEmpty();
        assertThat(rows).as("rows = events made, each once").isEqualTo(producedCount);
        assertThat(spoolAcked).as("events the spools count as acknowledged").isEqualTo(producedCount);
        assertThat(uplinkSent).as("events the uplinks count as acknowledged by the cloud").isEqualTo(producedCount);
        assertThat(answers.received.get()).as("events in the cloud's 200 answers").isEqualTo(producedCount);
        // Every row was stored by exactly one request; a request whose answer the kill swallowed
        // stored rows that no 200 counted (its replay then answered them as duplicates).
        assertThat(answers.stored.get()).as("stored by answered requests").isLessThanOrEqualTo(rows);
        assertThat(rows - answers.stored.get()).as("stored by requests never answered = replayed as duplicates")
                .isEqualTo(answers.duplicates.get());
        assertThat(ackedBeforeKill).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);
    }

    static long acked(List<SimulatedAppliance> fleet) {
        long n = 0;
        for (SimulatedAppliance a : fleet) {
            n += a.uplink.sent();
        }
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** One appliance: its own spool, uplink and event ids; remembers the id of every event it made. */
    static final class SimulatedAppliance implements AutoCloseable {
        final ApplianceId id;
        final Spool spool;
        final Uplink uplink;
        final EventIds ids = new EventIds();
        final Set<UUID> made = ConcurrentHashMap.newKeySet();
        final InetAddress client;
        final InetAddress server;
        private boolean closed;

        private SimulatedAppliance(ApplianceId id, Spool spool, Uplink uplink) throws IOException {
            this.id = id;
            this.spool = spool;
            this.uplink = uplink;
            this.client = InetAddress.getByName("192.168.10." + (1 + Math.floorMod(id.hashCode(), 200)));
            this.server = InetAddress.getByName("203.0.113.80");
        }

        static SimulatedAppliance start(Path dir, ApplianceId id, String code, URI cloud, Path pem, AnswerCounter answers)
                throws Exception {
            EventIds ids = new EventIds();
            Spool spool = Spool.open(SpoolSettings.in(dir.resolve("spool")), new EventFactory(id, ids, Clock.systemUTC()));
            UplinkSettings settings = UplinkSettings.of(cloud, id, code, Optional.of(pem), dir.resolve("device.token"), "crash-1.0")
                    .withHeartbeatInterval(Duration.ofSeconds(5))
                    // Back soon after the restart: the test waits for the drain.
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                    .withRequestTimeout(Duration.ofSeconds(10));
            HttpClient http = new CountingHttpClient(CloudTls.client(settings.trustedCertificates(), settings.requestTimeout()), answers);
            Uplink uplink = new Uplink(settings, spool, new CloudClient(http, settings.cloud(), settings.requestTimeout()),
                    () -> Map.of("urlfilter", "2026.11"), Clock.systemUTC());
            uplink.start();
            return new SimulatedAppliance(id, spool, uplink);
        }

        /** Publishes a batch every 50 ms (nine access logs to one threat) until {@code producing} is false. */
        void produce(AtomicBoolean producing) {
            int n = 0;
            while (producing.get()) {
                List<Event> batch = new ArrayList<>(EVENTS_PER_PUBLISH);
                for (int i = 0; i < EVENTS_PER_PUBLISH; i++, n++) {
                    Event e = n % 10 == 0 ? threat(n) : access(n);
                    batch.add(e);
                }
                spool.publish(batch);
                for (Event e : batch) {
                    made.add(e.id().uuid());
                }
                try {
                    Thread.sleep(PUBLISH_EVERY_MILLIS);
                } catch (InterruptedException x) {
                    return;
                }
            }
        }

        Event access(int n) {
            return new Event(ids.next(), id, Instant.now(), Kind.ACCESS, ZonePair.LAN_TO_WAN, client, 40_000 + n % 20_000, server, 443,
                    Optional.empty(), "www.example.jp", "https://www.example.jp/news/2026/11/" + n, "", SecurityFunction.URL_FILTERING,
                    "urlfilter", "1.0.0", "category:news", "News", Result.PASS, Level.LOW, 100, Evidence.NONE, "");
        }

        Event threat(int n) {
            return new Event(ids.next(), id, Instant.now(), Kind.THREAT, ZonePair.LAN_TO_WAN, client, 40_000 + n % 20_000, server, 80,
                    Optional.empty(), "login-bank.phish.test", "http://login-bank.phish.test/" + n, "", SecurityFunction.URL_FILTERING,
                    "urlfilter", "1.0.0", "category:phishing", "フィッシング詐欺 / Phishing", Result.BLOCK, Level.HIGH, 100,
                    Evidence.PHISHING, "");
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                uplink.close();
                spool.close();
            }
        }
    }

    /** Sums the counts of the cloud's 200 answers to POST /api/v1/events. */
    static final class AnswerCounter {
        static final Pattern FIELD = Pattern.compile("\"(received|stored|duplicates)\"\\s*:\\s*(\\d+)");
        final AtomicLong received = new AtomicLong();
        final AtomicLong stored = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();

        void count(byte[] answer) {
            Matcher m = FIELD.matcher(new String(answer, StandardCharsets.UTF_8));
            while (m.find()) {
                long v = Long.parseLong(m.group(2));
                switch (m.group(1)) {
                    case "received" -> received.addAndGet(v);
                    case "stored" -> stored.addAndGet(v);
                    default -> duplicates.addAndGet(v);
                }
            }
        }
    }

    /** The uplink's own TLS client, reading the cloud's answers to event batches on the way through. */
    static final class CountingHttpClient extends HttpClient {
        private final HttpClient delegate;
        private final AnswerCounter answers;

        CountingHttpClient(HttpClient delegate, AnswerCounter answers) {
            this.delegate = delegate;
            this.answers = answers;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
            HttpResponse<T> response = delegate.send(request, handler);
            if (!request.uri().getPath().endsWith("/api/v1/events") || response.statusCode() != 200
                    || !(response.body() instanceof InputStream in)) {
                return response;
            }
            byte[] answer;
            try (in) {
                answer = in.readAllBytes();
            }
            answers.count(answer);
            return (HttpResponse<T>) new Replayed(response, new ByteArrayInputStream(answer));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            throw new UnsupportedOperationException("the uplink sends synchronously");
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            throw new UnsupportedOperationException("the uplink sends synchronously");
        }

        @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
        @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
        @Override public Redirect followRedirects() { return delegate.followRedirects(); }
        @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
        @Override public SSLContext sslContext() { return delegate.sslContext(); }
        @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
        @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
        @Override public Version version() { return delegate.version(); }
        @Override public Optional<Executor> executor() { return delegate.executor(); }
        @Override public void shutdown() { delegate.shutdown(); }
        @Override public void shutdownNow() { delegate.shutdownNow(); }
        @Override public boolean awaitTermination(Duration d) throws InterruptedException { return delegate.awaitTermination(d); }
        @Override public boolean isTerminated() { return delegate.isTerminated(); }
        @Override public void close() { delegate.close(); }
    }

    /** A response whose body was read once and is handed on from memory. */
    record Replayed(HttpResponse<?> response, InputStream body) implements HttpResponse<InputStream> {
        @Override public int statusCode() { return response.statusCode(); }
        @Override public HttpRequest request() { return response.request(); }
        @Override public Optional<HttpResponse<InputStream>> previousResponse() { return Optional.empty(); }
        @Override public HttpHeaders headers() { return response.headers(); }
        @Override public Optional<SSLSession> sslSession() { return response.sslSession(); }
        @Override public URI uri() { return response.uri(); }
        @Override public HttpClient.Version version() { return response.version(); }
    }
}
