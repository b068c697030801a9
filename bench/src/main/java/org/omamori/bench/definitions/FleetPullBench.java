package org.omamori.bench.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.omamori.cloud.ingest.IngestLimits;
import org.omamori.cloud.rest.ActivationLimits;
import org.omamori.cloud.rest.CloudServer;
import org.omamori.cloud.rest.ServerCertificate;
import org.omamori.cloud.rest.ServerSettings;
import org.omamori.events.ApplianceId;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * A fleet pulling one definitions package at once from one cloud node (issue 17): N activated
 * appliances (default 1,000) each GET the newest 5 MB package with their own device token over TLS
 * 1.3, C at a time (default 100), from the cloud's REST layer over an H2 store in this JVM; then the
 * same client against nginx serving the same bytes as a static file over TLS 1.3 on loopback (the
 * peer; scripts/bench-tools.sh installs it), when nginx is there. Prints the time until all have it,
 * per-request p50/p99, this JVM's CPU time (client and server together) and heap.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.omamori.bench.definitions.FleetPullBench [appliances=1000] [concurrency=100] [MB=5]
 * </pre>
 */
public final class FleetPullBench {

    public static void main(String[] args) throws Exception {
        int appliances = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int megabytes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("omamori-fleet-pull");
        byte[] pkg = new byte[megabytes * 1024 * 1024];
        new Random(7).nextBytes(pkg); // incompressible, as a zip is
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("omamori")))) {
            ResellerId reseller = store.tenants().createReseller("bench");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < appliances; i++) {
                CustomerId c = store.tenants().createCustomer(reseller, "customer " + i);
                ApplianceId a = new ApplianceId(String.format("0e%010x", i));
                tokens.add(store.ingest().activate(a, store.tenants().registerAppliance(c, a)).orElseThrow());
            }
            store.definitionPackages().publish("urlfilter", "2026.12.5", pkg, "A".repeat(86) + "==");
            ServerCertificate certificate = ServerCertificate.at(dir.resolve("tls/cloud.p12")).ensure(List.of("localhost", "127.0.0.1"), 2);
            try (CloudServer cloud = CloudServer.start(new ServerSettings("127.0.0.1", 0, certificate.keyStore(), certificate.password(),
                            new IngestLimits(8 << 20, Duration.ofMinutes(10)), Duration.ofSeconds(30), ActivationLimits.defaults()),
                    () -> Optional.of(store.ingest()), () -> Optional.of(store.definitionPackages()), java.time.Clock.systemUTC())) {
                HttpClient http = client(certificate.pem());
                URI uri = cloud.localUri().resolve("api/v1/definitions/urlfilter/latest");
                pull(http, uri, tokens.subList(0, Math.min(20, tokens.size())), 10, pkg.length, "warm-up"); // JIT, first read from the store
                Result ours = pull(http, uri, tokens, concurrency, pkg.length, "cloud node");
                Optional<Result> nginx = nginx(dir, pkg, certificate, tokens, concurrency);
                System.out.printf("%n%d appliances, %d at a time, %d MB each (%d MB in all)%n", appliances, concurrency, megabytes,
                        (long) appliances * megabytes);
                print(ours);
                nginx.ifPresent(n -> {
                    print(n);
                    System.out.printf("cloud node / nginx: %.2fx the time%n", ours.seconds() / n.seconds());
                });
            }
        }
    }

    record Result(String name, double seconds, long p50, long p99, double cpuSeconds, long heapMb, int errors) {
    }

    static void print(Result r) {
        System.out.printf("%-12s all have it after %6.1f s  p50 %5d ms  p99 %5d ms  JVM CPU %6.1f s  heap %5d MB  errors %d%n", r.name(),
                r.seconds(), r.p50(), r.p99(), r.cpuSeconds(), r.heapMb(), r.errors());
    }

    static Result pull(HttpClient http, URI uri, List<String> tokens, int concurrency, long expected, String name) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long peakHeap = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (String token : tokens) {
                slots.acquire();
                all.add(pool.submit(() -> {
                    long s = System.nanoTime();
                    try {
                        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET();
                        if (token != null) {
                            r.header("Authorization", "Bearer " + token);
                        }
                        HttpResponse<InputStream> response = http.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
                        long n;
                        try (InputStream in = response.body()) {
                            n = in.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                        if (response.statusCode() != 200 || n != expected) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    } finally {
                        millis.add((System.nanoTime() - s) / 1_000_000);
                        slots.release();
                    }
                    return null;
                }));
                peakHeap = Math.max(peakHeap, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
        return new Result(name, seconds, p50, p99, cpu, peakHeap >> 20, (int) errors.get());
    }

    static HttpClient client(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("c" + i++, c);
            }
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(trust);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, f.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"}))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The same bytes from nginx as a static file over TLS 1.3 (a certificate of its own, trusted by the same client). */
    static Optional<Result> nginx(Path dir, byte[] pkg, ServerCertificate ours, List<String> tokens, int concurrency) throws Exception {
        Path bin = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(bin)) {
            System.out.println("no nginx (scripts/bench-tools.sh installs it): the peer is not measured");
            return Optional.empty();
        }
        // nginx's workers run as nobody: the temporary folder (700) must let them through to the file.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(root.resolve("www"));
        Files.write(root.resolve("www/package.zip"), pkg);
        Process key = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", root.resolve("key.pem").toString(),
                "-out", root.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        key.getInputStream().readAllBytes();
        key.waitFor();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(root.resolve("nginx.conf"), """
                worker_processes 1;
                error_log %1$s/error.log;
                pid %1$s/nginx.pid;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    sendfile on;
                    server {
                        listen 127.0.0.1:%2$d ssl;
                        ssl_protocols TLSv1.3;
                        ssl_certificate %1$s/cert.pem;
                        ssl_certificate_key %1$s/key.pem;
                        root %1$s/www;
                    }
                }
                """.formatted(root, port));
        Process nginx = new ProcessBuilder(bin.toString(), "-p", root.toString(), "-c", root.resolve("nginx.conf").toString(), "-g",
                "daemon off;").redirectErrorStream(true).redirectOutput(root.resolve("out.log").toFile()).start();
        try {
            Thread.sleep(1000);
            HttpClient http = client(root.resolve("cert.pem"));
            URI uri = URI.create("https://127.0.0.1:" + port + "/package.zip");
            pull(http, uri, Collections.nCopies(20, null), 10, pkg.length, "warm-up");
            return Optional.of(pull(http, uri, Collections.nCopies(tokens.size(), null), concurrency, pkg.length, "nginx"));
        } finally {
            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
