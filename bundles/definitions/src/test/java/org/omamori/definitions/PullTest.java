package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Pulls over real HTTP from a JDK HttpServer playing the cloud, and installs from the drop folder. */
class PullTest {

    private static final String TOKEN = "device-token-1";

    @TempDir
    Path home;

    private HttpServer server;
    private final AtomicReference<SignedPackage> latest = new AtomicReference<>();
    private final AtomicReference<String> latestVersion = new AtomicReference<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** When positive, the next full download is cut off after this many bytes. */
    private final java.util.concurrent.atomic.AtomicInteger cutAfter = new java.util.concurrent.atomic.AtomicInteger();
    private final Fixtures.Recorded sink = new Fixtures.Recorded();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private Installer installer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/definitions/", this::serve);
        server.start();
        installer = new Installer(home.resolve("definitions"), new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()),
                InstalledVersions.open(home.resolve("state/versions.properties")),
                Map.of(Kind.URLFILTER, (v, files) -> applied.add("urlfilter " + v + " " + Files.readString(files.resolve("phishing/domains")).strip())),
                Fixtures.EVENTS, sink);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The cloud's side of docs/api/definitions.yaml, as small as it can be. */
    private void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String inm = x.getRequestHeaders().getFirst("If-None-Match");
        requests.add(path + " " + x.getRequestURI().getQuery() + " " + inm);
        SignedPackage pkg = latest.get();
        try (x) {
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.sendResponseHeaders(401, -1);
            } else if (!path.equals("/api/v1/definitions/urlfilter/latest") || pkg == null) {
                x.sendResponseHeaders(404, -1);
            } else if (CloudSource.etag(Kind.URLFILTER, PackageVersion.parse(latestVersion.get())).equals(inm)) {
                x.sendResponseHeaders(304, -1);
            } else {
                String etag = CloudSource.etag(Kind.URLFILTER, PackageVersion.parse(latestVersion.get()));
                x.getResponseHeaders().add("Content-Type", "application/zip");
                x.getResponseHeaders().add("ETag", etag);
                x.getResponseHeaders().add("Accept-Ranges", "bytes");
                x.getResponseHeaders().add(CloudSource.SIGNATURE_HEADER, SignedPackage.signatureText(pkg.signature()));
                String range = x.getRequestHeaders().getFirst("Range");
                byte[] all = pkg.bytes();
                if (range != null && etag.equals(x.getRequestHeaders().getFirst("If-Range"))) {
                    int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                    requests.add("range from " + from);
                    x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
                    x.sendResponseHeaders(206, all.length - from);
                    try (OutputStream out = x.getResponseBody()) {
                        out.write(all, from, all.length - from);
                    }
                } else if (cutAfter.get() > 0) {
                    // The connection drops mid-body: the promised length never arrives.
                    x.sendResponseHeaders(200, all.length);
                    OutputStream out = x.getResponseBody();
                    out.write(all, 0, cutAfter.getAndSet(0));
                    out.flush();
                    throw new IOException("connection cut (test)"); // the server drops the connection: fewer bytes than promised
                } else {
                    x.sendResponseHeaders(200, all.length);
                    try (OutputStream out = x.getResponseBody()) {
                        out.write(all);
                    }
                }
            }
        }
    }

    private CloudSource cloud(Optional<String> token, long maxBytes) {
        return new CloudSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), () -> token, maxBytes,
                Duration.ofSeconds(10), null);
    }

    private Poller poller(CloudSource cloud) {
        // An interval long enough that only pullNow() pulls during the test.
        return new Poller(installer, Optional.of(cloud), Optional.empty(), java.util.Set.of(Kind.URLFILTER),
                Duration.ofDays(1), Duration.ofDays(1));
    }

    private void publish(String version, String domain) throws IOException {
        latest.set(Fixtures.urlPackage(home, version, domain));
        latestVersion.set(version);
    }

    @Test
    void theLatestPackageIsPulledAppliedAndThenAskedForConditionally() throws Exception {
        publish("5", "five.example");
        try (Poller poller = poller(cloud(Optional.of(TOKEN), 1 << 20))) {
            assertThat(poller.pullNow()).containsExactly(new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("5")));
            assertThat(poller.pullNow()).isEmpty();
            publish("6", "six.example");
            assertThat(poller.pullNow()).containsExactly(new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("6")));
        }
        assertThat(requests).containsExactly(
                "/api/v1/definitions/urlfilter/latest null null",
                "/api/v1/definitions/urlfilter/latest since=5 \"urlfilter-5\"",
                "/api/v1/definitions/urlfilter/latest since=5 \"urlfilter-5\"");
        assertThat(applied).containsExactly("urlfilter 5 five.example", "urlfilter 6 six.example");
    }

    @Test
    void aPulledPackageWithABadSignatureIsRefusedAndReported() throws Exception {
        SignedPackage good = Fixtures.urlPackage(home, "5", "five.example");
        latest.set(new SignedPackage(good.bytes(), PackageWriter.sign(good.bytes(), Fixtures.STRANGER.getPrivate())));
        latestVersion.set("5");
        try (Poller poller = poller(cloud(Optional.of(TOKEN), 1 << 20))) {
            assertThat(poller.pullNow()).singleElement().isInstanceOf(Outcome.Rejected.class);
        }
        assertThat(applied).isEmpty();
        assertThat(sink.ruleIds()).containsExactly(Installer.REFUSED);
    }

    @Test
    void withoutADeviceTokenNothingIsAsked() throws Exception {
        publish("5", "five.example");
        try (Poller poller = poller(cloud(Optional.empty(), 1 << 20))) {
            assertThat(poller.pullNow()).isEmpty();
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void aRefusedTokenAndAnOversizedDownloadAreErrorsNotPackages() throws Exception {
        publish("5", "five.example");
        assertThatThrownBy(() -> cloud(Optional.of("wrong"), 1 << 20).latest(Kind.URLFILTER, Optional.empty()))
                .isInstanceOf(CloudSource.PullException.class).hasMessageContaining("device token (401)");
        assertThatThrownBy(() -> cloud(Optional.of(TOKEN), 100).latest(Kind.URLFILTER, Optional.empty()))
                .isInstanceOf(CloudSource.PullException.class).hasMessageContaining("over the limit of 100");
        assertThat(cloud(Optional.of(TOKEN), 1 << 20).latest(Kind.IPS, Optional.empty())).isEmpty(); // 404: none yet
    }

    @Test
    void aPackageDroppedIntoIncomingIsInstalledAndABadOneIsSetAside() throws Exception {
        Path incoming = home.resolve("definitions/incoming");
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
        DropFolder drop = new DropFolder(incoming, installer, 1 << 20, Duration.ofSeconds(2), later);
        MakeDefinitions.write(incoming.resolve("lists-7.zip"), Fixtures.urlPackage(home, "7", "seven.example"));
        SignedPackage other = Fixtures.urlPackage(home, "8", "eight.example");
        MakeDefinitions.write(incoming.resolve("lists-8.zip"), new SignedPackage(other.bytes(),
                PackageWriter.sign(other.bytes(), Fixtures.STRANGER.getPrivate())));
        Files.write(incoming.resolve("half-copied.zip"), new byte[] {1, 2, 3}); // no .sig yet: waits

        List<Outcome> outcomes = drop.scan();

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).isEqualTo(new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("7")));
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Rejected.class);
        assertThat(applied).containsExactly("urlfilter 7 seven.example");
        assertThat(incoming.resolve("lists-7.zip")).doesNotExist();
        assertThat(incoming.resolve("refused/lists-8.zip")).exists();
        assertThat(incoming.resolve("refused/lists-8.zip.sig")).exists();
        assertThat(incoming.resolve("half-copied.zip")).exists();
        assertThat(sink.ruleIds()).containsExactly(Installer.APPLIED, Installer.REFUSED);
    }

    @Test
    void aPackageStillBeingCopiedWaits() throws Exception {
        Path incoming = home.resolve("definitions/incoming");
        DropFolder drop = new DropFolder(incoming, installer, 1 << 20, Duration.ofSeconds(2), Clock.systemUTC());
        MakeDefinitions.write(incoming.resolve("lists-7.zip"), Fixtures.urlPackage(home, "7", "seven.example"));
        assertThat(drop.scan()).isEmpty();
        Files.setLastModifiedTime(incoming.resolve("lists-7.zip"), FileTime.from(Instant.now().minusSeconds(10)));
        Files.setLastModifiedTime(incoming.resolve("lists-7.zip.sig"), FileTime.from(Instant.now().minusSeconds(10)));
        assertThat(drop.scan()).singleElement().isInstanceOf(Outcome.Applied.class);
    }

    @Test
    void aDownloadCutOffMidwayContinuesFromWhereItStoppedForTheSameVersion() throws Exception {
        publish("2026.12.21", "resumed.example");
        byte[] whole = latest.get().bytes();
        cutAfter.set(whole.length / 3);
        SignedPackage got = cloud(Optional.of(TOKEN), 1 << 20).latest(Kind.URLFILTER, Optional.empty()).orElseThrow();
        assertThat(got.bytes()).isEqualTo(whole);
        assertThat(requests).contains("range from " + whole.length / 3);
        assertThat(new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()).unpack(got, home.resolve("check")).version().text())
                .isEqualTo("2026.12.21");
    }
}
