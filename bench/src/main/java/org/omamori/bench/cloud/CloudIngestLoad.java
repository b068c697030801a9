package org.omamori.bench.cloud;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLParameters;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Sustained ingest into PostgreSQL through the exported cloud runtime, against a raw COPY of the
 * same rows into the same database in the same run.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.omamori.bench.cloud.CloudIngestLoad [seconds=30] [appliances=1000]
 * </pre>
 *
 * Makes a fresh database on PostgreSQL (127.0.0.1:5432, user postgres, trust), registers the
 * appliances with {@link Store} (customers of two appliances each), starts
 * {@code distribution/cloud/target/cloud/omamori-cloud.jar} in a temporary home configured for
 * that database and a fixed port, activates every appliance over {@code POST /api/v1/activate},
 * and then lets the appliances send batches of 50-200 events (about 3 % threats, the rest access
 * logs) over HTTPS keep-alive connections, each appliance one batch at a time (as the uplink does),
 * {@code concurrency} batches in flight in all. After a warm-up it measures events acknowledged
 * per second, batch latency, errors and CPU (cloud JVM, PostgreSQL, this load generator). Then it
 * copies as many rows as were acknowledged in the measured window out of {@code events}
 * ({@code COPY (SELECT ...) TO STDOUT}) and times {@code COPY events_copy FROM STDIN} into a
 * table made {@code LIKE events INCLUDING ALL}: the same rows, the same database, one stream.
 *
 * <p>System properties: {@code omamori.cloudJar} (the runtime), {@code omamori.bench.postgres}
 * (server URL, default {@code jdbc:postgresql://127.0.0.1:5432/}), {@code concurrency} (default 16),
 * {@code warmup} (seconds, default 10), {@code threats} (fraction, default 0.03), {@code poolSize}
 * (the cloud's store pool; default: the product's default), {@code cloudHeap} (e.g. {@code 1g}),
 * {@code jfr} (file: record the cloud JVM with JFR's profile settings during the measured window),
 * {@code keep} (true: keep the database and the cloud's home).
 */
public final class CloudIngestLoad {

    static final String SERVER = System.getProperty("omamori.bench.postgres", "jdbc:postgresql://127.0.0.1:5432/");
    static final Pattern RECEIVED = Pattern.compile("\"received\"\\s*:\\s*(\\d+)");
    static final Pattern STORED = Pattern.compile("\"stored\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int applianceCount = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int concurrency = Integer.getInteger("concurrency", 16);
        int warmup = Integer.getInteger("warmup", 10);
        double threatShare = Double.parseDouble(System.getProperty("threats", "0.03"));
        boolean keep = Boolean.getBoolean("keep");
        Path cloudJar = Path.of(System.getProperty("omamori.cloudJar", "distribution/cloud/target/cloud/omamori-cloud.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(cloudJar)) {
            throw new IllegalStateException("no cloud runtime at " + cloudJar
                    + ": build it (./mvnw install -pl distribution/cloud) or set -Domamori.cloudJar");
        }

        String database = "omamori_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String jdbcUrl = SERVER + database;
        Path home = Files.createTempDirectory("omamori-cloud-bench");
        CloudNode cloud = null;
        try {
            // ---- tenancy: customers of two appliances each, registered before the cloud starts ----
            long t0 = System.nanoTime();
            List<Appliance> appliances = new ArrayList<>(applianceCount);
            try (Store store = Store.open(new StoreSettings(jdbcUrl, "postgres", "", 2))) {
                ResellerId reseller = store.tenants().createReseller("ベンチマーク販売株式会社");
                CustomerId customer = null;
                for (int i = 0; i < applianceCount; i++) {
                    if (i % 2 == 0) {
                        customer = store.tenants().createCustomer(reseller, "顧客 " + (i / 2));
                    }
                    ApplianceId id = new ApplianceId(String.format(Locale.ROOT, "0b%010x", i + 1));
                    appliances.add(new Appliance(id, store.tenants().registerAppliance(customer, id), i));
                }
            }
            System.out.printf("database %s: %d appliances of %d customers registered in %.1f s%n", database, applianceCount,
                    (applianceCount + 1) / 2, (System.nanoTime() - t0) / 1e9);

            // ---- the cloud runtime ----
            int port = freePort();
            Files.createDirectories(home.resolve("etc"));
            Files.writeString(home.resolve("etc/org.omamori.cloud.api.cfg"), "host = 127.0.0.1\nport = " + port + "\n");
            String poolSize = System.getProperty("poolSize");
            Files.writeString(home.resolve("etc/org.omamori.store.cfg"), "jdbcUrl = " + jdbcUrl + "\nuser = postgres\n"
                    + (poolSize == null ? "" : "poolSize = " + poolSize + "\n"));
            t0 = System.nanoTime();
            cloud = CloudNode.start(cloudJar, home, port);
            cloud.awaitInService();
            System.out.printf("cloud runtime (pid %d) in service on port %d after %.1f s; home %s%n", cloud.process.pid(), port,
                    (System.nanoTime() - t0) / 1e9, home);

            // ---- HTTPS clients (TLS 1.3, HTTP/1.1 keep-alive), shared by the simulated appliances ----
            int clientCount = Math.max(1, Math.min(8, concurrency / 4));
            HttpClient[] clients = new HttpClient[clientCount];
            for (int i = 0; i < clientCount; i++) {
                clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .sslContext(CloudNode.trusting(home.resolve("tls/cloud.pem")))
                        .sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"}))
                        .connectTimeout(Duration.ofSeconds(10)).build();
            }
            URI base = URI.create("https://localhost:" + port + "/");

            t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<?>> done = new ArrayList<>();
                for (Appliance a : appliances) {
                    done.add(pool.submit(() -> {
                        a.activate(clients[a.index % clientCount], base);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            System.out.printf("%d appliances activated over HTTPS in %.1f s%n", applianceCount, (System.nanoTime() - t0) / 1e9);

            // ---- sustained load ----
            Templates templates = new Templates();
            Load load = new Load(appliances, clients, base, templates, threatShare, concurrency);
            load.start();
            System.out.printf("warm-up %d s, %d batches in flight, %d HTTPS clients, %.0f %% threats ...%n", warmup, concurrency,
                    clientCount, threatShare * 100);
            Thread.sleep(warmup * 1000L);
            String loadBefore = loadAverage();
            Cpu cpuBefore = Cpu.now(cloud.process.pid());
            Optional<Path> jfr = Optional.ofNullable(System.getProperty("jfr")).map(Path::of);
            if (jfr.isPresent()) {
                jcmd(cloud.process.pid(), "JFR.start", "name=ingest", "settings=profile", "duration=" + seconds + "s",
                        "filename=" + jfr.get().toAbsolutePath());
            }
            long measuredFrom = System.nanoTime();
            load.measure(true);
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(1000);
                if (s % 5 == 0 || s == seconds) {
                    System.out.printf("  %2d s: %,d events acknowledged (%,.0f/s), %d errors%n", s, load.measuredEvents.get(),
                            load.measuredEvents.get() / ((System.nanoTime() - measuredFrom) / 1e9), load.errors.get());
                }
            }
            load.measure(false);
            double window = (System.nanoTime() - measuredFrom) / 1e9;
            Cpu cpuAfter = Cpu.now(cloud.process.pid());
            load.stop();

            long measured = load.measuredEvents.get();
            long batches = load.measuredBatches.get();
            double rate = measured / window;
            long[] latencies = load.latencies();
            long rows;
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                 Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM events")) {
                r.next();
                rows = r.getLong(1);
            }

            System.out.println();
            System.out.printf("ingest: %,d events in %,d batches in %.1f s = %,.0f events/s (%,.0f batches/s), mean batch %.0f events%n",
                    measured, batches, window, rate, batches / window, batches == 0 ? 0.0 : (double) measured / batches);
            System.out.printf("batch latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(latencies, 50),
                    pct(latencies, 90), pct(latencies, 99), latencies.length == 0 ? 0.0 : latencies[latencies.length - 1] / 1e6);
            System.out.printf("errors: %d (%s); events acknowledged in all %,d, rows in events %,d, stored answers %,d%n",
                    load.errors.get(), load.firstError.get() == null ? "none" : load.firstError.get(), load.allEvents.get(), rows,
                    load.storedAnswered.get());
            System.out.println("CPU during the window (cores busy): " + cpuBefore.until(cpuAfter, window));
            double cloudCores = (cpuAfter.cloud() - cpuBefore.cloud()) / window;
            System.out.printf("events per CPU-second of the cloud JVM: %,.0f (less sensitive to other load on the machine);"
                    + " load average before/after: %s / %s%n", cloudCores == 0 ? 0.0 : rate / cloudCores, loadBefore, loadAverage());

            // ---- baseline: COPY of the same number of the same rows into the same database ----
            Copy copy = Copy.run(jdbcUrl, measured);
            System.out.println();
            System.out.printf("COPY events_copy FROM STDIN, %,d rows (%.1f MB of text): %s%n", copy.rows, copy.bytes / 1e6,
                    copy.describe());
            System.out.println();
            System.out.println("| path | events/s | ratio to COPY |");
            System.out.println("| --- | --- | --- |");
            System.out.printf("| COPY (best of %d) | %,.0f | 1 |%n", copy.seconds.length, copy.rate());
            System.out.printf("| cloud ingest: %d appliances, HTTPS + JSON + grading of the threats (%.0f %%) + INSERT | %,.0f | %.2f |%n",
                    applianceCount, threatShare * 100, rate, rate / copy.rate());
            System.out.printf("target 20,000 events/s: %s; errors %d%n", rate >= 20_000 ? "met" : "NOT met", load.errors.get());
            if (jfr.isPresent()) {
                System.out.println("JFR recording of the cloud during the window: " + jfr.get().toAbsolutePath());
            }
        } finally {
            if (cloud != null) {
                cloud.stop();
            }
            if (!keep) {
                try (Connection c = admin(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
                deleteTree(home);
            } else {
                System.out.println("kept database " + database + " and cloud home " + home);
            }
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static Connection admin() throws SQLException {
        try {
            return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL is needed at " + SERVER + " (user postgres, trust): " + e.getMessage(), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        List<String> cmd = new ArrayList<>(List.of(java.resolveSibling("jcmd").toString(), Long.toString(pid)));
        cmd.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        System.out.println("jcmd " + String.join(" ", command) + ": " + out.replace('\n', ' '));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One simulated appliance: id, activation code, then device token; its own event ids. */
    static final class Appliance {
        final ApplianceId id;
        final String code;
        final int index;
        final EventIds ids = new EventIds();
        final String prefix;
        volatile String authorization;

        Appliance(ApplianceId id, String code, int index) {
            this.id = id;
            this.code = code;
            this.index = index;
            this.prefix = "{\"appliance\":\"" + id.value() + "\",\"events\":[";
        }

        void activate(HttpClient http, URI base) throws IOException, InterruptedException {
            String body = "{\"appliance\":\"" + id.value() + "\",\"activationCode\":\"" + code + "\",\"firmwareVersion\":\"bench-1.0\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("api/v1/activate"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"deviceToken\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("activation of " + id + " answered " + r.statusCode());
            }
            authorization = "Bearer " + m.group(1);
        }

        /** A batch of {@code n} events as the uplink sends it. */
        byte[] batch(int n, Templates templates, double threatShare, ThreadLocalRandom random) {
            StringBuilder b = new StringBuilder(n * 560 + 64).append(prefix);
            String time = null;
            for (int i = 0; i < n; i++) {
                if (i % 16 == 0) {
                    time = Instant.now().toString(); // events of a batch were made over a short while
                }
                if (i > 0) {
                    b.append(',');
                }
                String tail = random.nextDouble() < threatShare ? templates.threat(random) : templates.access(random);
                b.append("{\"id\":\"").append(ids.next()).append("\",\"appliance\":\"").append(id.value())
                        .append("\",\"time\":\"").append(time).append('"').append(tail);
            }
            return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Events as the appliance's codec writes them, cut after the time: the rest (kind ... note) is
     * a template; id, appliance and time are written per event. 64 access logs of different hosts,
     * paths, clients and ports; 12 threats of the URL filter, the IPS and the antivirus.
     */
    static final class Templates {
        final String[] access = new String[64];
        final String[] threats = new String[12];

        Templates() throws IOException {
            ApplianceId someone = new ApplianceId("0b0000000000");
            EventIds ids = new EventIds();
            String[] hosts = {"www.example.jp", "news.example.co.jp", "cdn.example.net", "mail.example.com", "shop.example.jp",
                    "api.example.org", "static.example.info", "www.example.test"};
            for (int i = 0; i < access.length; i++) {
                String host = hosts[i % hosts.length];
                Event e = new Event(ids.next(), someone, Instant.now(), Kind.ACCESS, ZonePair.LAN_TO_WAN,
                        InetAddress.getByName("192.168.1." + (10 + i)), 49_152 + i * 97, InetAddress.getByName("203.0.113." + (i % 250 + 1)),
                        i % 5 == 0 ? 80 : 443, Optional.empty(), host, (i % 5 == 0 ? "http://" : "https://") + host + "/section/" + i
                        + "/article/20261123-" + (1000 + i) + ".html?ref=top&page=" + (i % 7), "", SecurityFunction.URL_FILTERING,
                        "urlfilter", "1.4.0", "category:" + (i % 3 == 0 ? "news" : i % 3 == 1 ? "business" : "shopping"),
                        i % 3 == 0 ? "ニュース / News" : i % 3 == 1 ? "ビジネス / Business" : "ショッピング / Shopping", Result.PASS, Level.LOW,
                        100, Evidence.NONE, "");
                access[i] = tail(e);
            }
            for (int i = 0; i < threats.length; i++) {
                Event e = switch (i % 3) {
                    case 0 -> new Event(ids.next(), someone, Instant.now(), Kind.THREAT, ZonePair.LAN_TO_WAN,
                            InetAddress.getByName("192.168.1." + (20 + i)), 50_000 + i, InetAddress.getByName("198.51.100." + (i + 1)), 80,
                            Optional.empty(), "login-bank" + i + ".phish.test", "http://login-bank" + i + ".phish.test/signin", "",
                            SecurityFunction.URL_FILTERING, "urlfilter", "1.4.0", "category:phishing", "フィッシング詐欺 / Phishing",
                            Result.BLOCK, Level.HIGH, 100, Evidence.PHISHING, "");
                    case 1 -> new Event(ids.next(), someone, Instant.now(), Kind.THREAT, new ZonePair(org.omamori.api.engine.Zone.WAN, org.omamori.api.engine.Zone.LAN),
                            InetAddress.getByName("198.51.100." + (50 + i)), 40_000 + i, InetAddress.getByName("192.168.1.5"), 443,
                            Optional.empty(), "", "", "", SecurityFunction.IPS, "ips-hyperscan", "2.1.0", "sid:20" + (10_000 + i),
                            "ET EXPLOIT Possible CVE-2026-" + (1000 + i) + " attempt", Result.BLOCK, Level.CRITICAL, 90,
                            Evidence.EXPLOIT_ATTEMPT, "");
                    default -> new Event(ids.next(), someone, Instant.now(), Kind.THREAT, ZonePair.LAN_TO_WAN,
                            InetAddress.getByName("192.168.1." + (30 + i)), 51_000 + i, InetAddress.getByName("203.0.113.200"), 80,
                            Optional.empty(), "dl.malware.test", "http://dl.malware.test/invoice-" + i + ".zip", "",
                            SecurityFunction.ANTIVIRUS, "av-clamav", "1.0.0", "Win.Trojan.Agent-" + (7_000_000 + i),
                            "Win.Trojan.Agent-" + (7_000_000 + i), Result.BLOCK, Level.HIGH, 100, Evidence.MALWARE, "");
                };
                threats[i] = tail(e);
            }
        }

        /** The codec's JSON of {@code e} from the comma before "kind" to the closing brace. */
        static String tail(Event e) {
            String json = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
            int at = json.indexOf(",\"kind\"");
            if (!json.startsWith("{\"id\":") || at < 0) {
                throw new IllegalStateException("the event codec's field order changed: " + json);
            }
            return json.substring(at);
        }

        String access(ThreadLocalRandom random) {
            return access[random.nextInt(access.length)];
        }

        String threat(ThreadLocalRandom random) {
            return threats[random.nextInt(threats.length)];
        }
    }

    /** {@code concurrency} senders; an appliance is taken from the queue, sends one batch, and goes back. */
    static final class Load {
        final BlockingQueue<Appliance> idle;
        final HttpClient[] clients;
        final URI events;
        final Templates templates;
        final double threatShare;
        final int concurrency;
        final AtomicLong measuredEvents = new AtomicLong();
        final AtomicLong measuredBatches = new AtomicLong();
        final AtomicLong allEvents = new AtomicLong();
        final AtomicLong storedAnswered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        final List<long[]> latencyBuffers = new ArrayList<>();
        final List<int[]> latencyCounts = new ArrayList<>();
        final List<Thread> senders = new ArrayList<>();
        volatile boolean measuring;
        volatile boolean running = true;

        Load(List<Appliance> appliances, HttpClient[] clients, URI base, Templates templates, double threatShare, int concurrency) {
            List<Appliance> shuffled = new ArrayList<>(appliances);
            java.util.Collections.shuffle(shuffled, new java.util.Random(42));
            this.idle = new ArrayBlockingQueue<>(appliances.size(), false, shuffled);
            this.clients = clients;
            this.events = base.resolve("api/v1/events");
            this.templates = templates;
            this.threatShare = threatShare;
            this.concurrency = concurrency;
        }

        void start() {
            for (int i = 0; i < concurrency; i++) {
                long[] buffer = new long[1 << 20];
                int[] count = new int[1];
                latencyBuffers.add(buffer);
                latencyCounts.add(count);
                HttpClient http = clients[i % clients.length];
                senders.add(Thread.ofPlatform().name("sender-" + i).daemon().start(() -> send(http, buffer, count)));
            }
        }

        void measure(boolean on) {
            measuring = on;
        }

        private void send(HttpClient http, long[] latencies, int[] count) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running) {
                Appliance a;
                try {
                    a = idle.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    int n = 50 + random.nextInt(151);
                    byte[] body = a.batch(n, templates, threatShare, random);
                    HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json").header("Authorization", a.authorization)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    boolean counted = measuring;
                    long start = System.nanoTime();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - start;
                    counted &= measuring;
                    Matcher received = RECEIVED.matcher(r.body());
                    if (r.statusCode() != 200 || !received.find() || Integer.parseInt(received.group(1)) != n) {
                        error("HTTP " + r.statusCode() + ": " + r.body());
                    } else {
                        allEvents.addAndGet(n);
                        Matcher stored = STORED.matcher(r.body());
                        if (stored.find()) {
                            storedAnswered.addAndGet(Long.parseLong(stored.group(1)));
                        }
                        if (counted) {
                            measuredEvents.addAndGet(n);
                            measuredBatches.incrementAndGet();
                            if (count[0] < latencies.length) {
                                latencies[count[0]++] = took;
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (running) {
                        error(e.toString());
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    idle.add(a);
                }
            }
        }

        private void error(String what) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, what.length() > 300 ? what.substring(0, 300) : what);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : senders) {
                t.join(70_000);
            }
        }

        long[] latencies() {
            int total = 0;
            for (int[] c : latencyCounts) {
                total += c[0];
            }
            long[] all = new long[total];
            int at = 0;
            for (int i = 0; i < latencyBuffers.size(); i++) {
                System.arraycopy(latencyBuffers.get(i), 0, all, at, latencyCounts.get(i)[0]);
                at += latencyCounts.get(i)[0];
            }
            Arrays.sort(all);
            return all;
        }
    }

    /** CPU time (user + system, seconds) of the cloud JVM, of PostgreSQL's processes, of this JVM, and of the machine. */
    record Cpu(double cloud, double postgres, double self, double machineBusy, double machineAll) {

        static final double TICKS = 100.0; // USER_HZ on Linux

        static Cpu now(long cloudPid) {
            double postgres = ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                    .mapToDouble(p -> ticks(p.pid())).sum();
            double busy = 0;
            double all = 0;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    all += v;
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no machine figures
            }
            return new Cpu(ticks(cloudPid), postgres, ticks(ProcessHandle.current().pid()), busy / TICKS, all / TICKS);
        }

        /** utime + stime of a process, in seconds; 0 when it is gone. */
        static double ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        String until(Cpu after, double seconds) {
            return String.format(Locale.ROOT, "cloud JVM %.2f, PostgreSQL %.2f (backends existing at both ends), load generator %.2f;"
                            + " machine %.2f of %d", (after.cloud - cloud) / seconds, (after.postgres - postgres) / seconds,
                    (after.self - self) / seconds, (after.machineBusy - machineBusy) / seconds,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** The baseline: the rows the cloud wrote, copied out as text and copied into a twin table. */
    static final class Copy {
        long rows;
        long bytes;
        double[] seconds;

        static Copy run(String jdbcUrl, long n) throws SQLException, IOException {
            Copy copy = new Copy();
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                CopyManager copier = c.unwrap(PGConnection.class).getCopyAPI();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copy.rows = copier.copyOut("COPY (SELECT * FROM events ORDER BY id LIMIT " + n + ") TO STDOUT", out);
                byte[] data = out.toByteArray();
                copy.bytes = data.length;
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE events_copy (LIKE events INCLUDING ALL)");
                }
                copy.seconds = new double[3];
                for (int i = 0; i < copy.seconds.length; i++) {
                    try (Statement s = c.createStatement()) {
                        s.execute("TRUNCATE events_copy");
                        s.execute("CHECKPOINT");
                    }
                    long t0 = System.nanoTime();
                    long copied = copier.copyIn("COPY events_copy FROM STDIN", new ByteArrayInputStream(data));
                    copy.seconds[i] = (System.nanoTime() - t0) / 1e9;
                    if (copied != copy.rows) {
                        throw new IllegalStateException("COPY in took " + copied + " rows of " + copy.rows);
                    }
                }
            }
            return copy;
        }

        double rate() {
            return rows / Arrays.stream(seconds).min().orElseThrow();
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            for (double s : seconds) {
                b.append(String.format(Locale.ROOT, "%.2f s (%,.0f rows/s); ", s, rows / s));
            }
            return b.append("best ").append(String.format(Locale.ROOT, "%,.0f rows/s", rate())).toString();
        }
    }

    /** The exported cloud runtime in its own JVM. */
    static final class CloudNode {
        final Path home;
        final int port;
        final Process process;

        CloudNode(Path home, int port, Process process) {
            this.home = home;
            this.port = port;
            this.process = process;
        }

        static CloudNode start(Path jar, Path home, int port) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            if (Runtime.version().feature() >= 23) {
                cmd.add("--sun-misc-unsafe-memory-access=allow");
            }
            String heap = System.getProperty("cloudHeap");
            if (heap != null) {
                cmd.add("-Xms" + heap);
                cmd.add("-Xmx" + heap);
            }
            cmd.addAll(List.of("-jar", jar.toString()));
            Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("cloud.log").toFile()).start();
            return new CloudNode(home, port, p);
        }

        void awaitInService() throws Exception {
            Path portFile = home.resolve("state/cloud.port");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(portFile)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cloud did not start; " + home.resolve("cloud.log") + ":\n" + log());
                }
                Thread.sleep(100);
            }
            try (HttpClient http = HttpClient.newBuilder().sslContext(trusting(home.resolve("tls/cloud.pem")))
                    .sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"})).build()) {
                HttpRequest health = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health"))
                        .timeout(Duration.ofSeconds(5)).build();
                String last = "";
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            return;
                        }
                        last = r.body();
                    } catch (IOException e) {
                        last = e.toString();
                    }
                    Thread.sleep(100);
                }
                throw new IllegalStateException("the cloud is not in service: " + last + "\n" + log());
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }

        String log() {
            try {
                String text = Files.readString(home.resolve("cloud.log"));
                return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
            } catch (IOException e) {
                return "(no log)";
            }
        }

        static javax.net.ssl.SSLContext trusting(Path pem) throws Exception {
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            try (var in = Files.newInputStream(pem)) {
                int i = 0;
                for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("cloud-" + i++, c);
                }
            }
            javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            f.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
            context.init(null, f.getTrustManagers(), null);
            return context;
        }
    }
}
