package org.omamori.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.omamori.cloud.ingest.IngestLimits;
import org.omamori.cloud.rest.ActivationLimits;
import org.omamori.cloud.rest.CloudServer;
import org.omamori.cloud.rest.ServerCertificate;
import org.omamori.cloud.rest.ServerSettings;
import org.omamori.store.IngestStore;

/** A running cloud API on a free loopback port with a self-signed certificate, and a TLS 1.3 client that trusts it. */
final class CloudFixture implements AutoCloseable {

    static final long TEST_BODY_LIMIT = 64 * 1024;

    final ServerCertificate certificate;
    final AtomicReference<IngestStore> store;
    final CloudServer server;
    final HttpClient http;

    /** Activation limits far above what a test sends: ActivationLimitTest is the one about them. */
    CloudFixture(Path dir, IngestStore initial) throws Exception {
        this(dir, initial, new ActivationLimits(new ActivationLimits.Bucket(1000, 1000), new ActivationLimits.Bucket(1000, 1000), 100,
                Duration.ofMinutes(1)));
    }

    CloudFixture(Path dir, IngestStore initial, ActivationLimits activation) throws Exception {
        this(dir, initial, activation, null);
    }

    /** Also serving the definitions packages of {@code packages}. */
    CloudFixture(Path dir, IngestStore initial, org.omamori.store.DefinitionPackages packages) throws Exception {
        this(dir, initial, new ActivationLimits(new ActivationLimits.Bucket(1000, 1000), new ActivationLimits.Bucket(1000, 1000), 100,
                Duration.ofMinutes(1)), packages);
    }

    /** Also serving each appliance its settings from {@code settings}. */
    CloudFixture(Path dir, IngestStore initial, org.omamori.store.ApplianceSettings settings) throws Exception {
        this(dir, initial, new ActivationLimits(new ActivationLimits.Bucket(1000, 1000), new ActivationLimits.Bucket(1000, 1000), 100,
                Duration.ofMinutes(1)), null, settings);
    }

    private CloudFixture(Path dir, IngestStore initial, ActivationLimits activation, org.omamori.store.DefinitionPackages packages)
            throws Exception {
        this(dir, initial, activation, packages, null);
    }

    private CloudFixture(Path dir, IngestStore initial, ActivationLimits activation, org.omamori.store.DefinitionPackages packages,
                         org.omamori.store.ApplianceSettings settings) throws Exception {
        certificate = ServerCertificate.at(dir.resolve("tls/cloud.p12")).ensure(List.of("localhost", "127.0.0.1"), 2);
        store = new AtomicReference<>(initial);
        server = CloudServer.start(new ServerSettings("127.0.0.1", 0, certificate.keyStore(), certificate.password(),
                        new IngestLimits(TEST_BODY_LIMIT, Duration.ofMinutes(10)), Duration.ofSeconds(30), activation),
                () -> Optional.ofNullable(store.get()), () -> Optional.ofNullable(packages), () -> Optional.ofNullable(settings),
                Clock.systemUTC());
        http = client(null);
    }

    /** A TLS 1.3 client trusting this cloud, its connections from {@code local} (null: any). */
    HttpClient client(InetAddress local) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(sslContext(certificate.pem(), "TLSv1.3"))
                .sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"})).connectTimeout(Duration.ofSeconds(5));
        if (local != null) {
            b.localAddress(local);
        }
        return b.build();
    }

    URI uri(String path) {
        return server.localUri().resolve(path);
    }

    HttpResponse<String> post(String path, Optional<String> token, String body) throws IOException, InterruptedException {
        return post(http, path, token, body);
    }

    HttpResponse<String> post(HttpClient client, String path, Optional<String> token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> r.header("Authorization", "Bearer " + t));
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static SSLContext sslContext(Path pem, String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("cloud-" + i++, c);
            }
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(trust);
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, f.getTrustManagers(), null);
        return context;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
        server.close();
    }
}
