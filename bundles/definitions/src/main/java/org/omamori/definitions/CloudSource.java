package org.omamori.definitions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.omamori.api.config.PemTrust;

/**
 * Asks the cloud for the latest package of a kind (docs/api/definitions.yaml):
 * {@code GET <base>api/v1/definitions/<kind>/latest?since=<version in force>} with the device
 * token as bearer and {@code If-None-Match: "<kind>-<version>"}; 200 carries the package as
 * {@code application/zip} and its signature in the {@code Omamori-Signature} header (base64),
 * 304 and 404 mean nothing newer. Downloads are bounded; HTTPS is TLS 1.3 only; redirects are
 * not followed. Nothing here trusts the answer: the installer verifies it.
 */
public final class CloudSource {

    public static final String SIGNATURE_HEADER = "Omamori-Signature";
    public static final String VERSION_HEADER = "Omamori-Definitions-Version";

    private final URI base;
    private final Supplier<Optional<String>> token;
    private final long maxBytes;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param base     the cloud's base address, {@code https://host[:port]/} ({@code http} for tests and the local demo)
     * @param token    the device token, empty until the appliance is activated
     * @param ssl      the TLS context (trusted certificates); null for the JDK's default
     */
    public CloudSource(URI base, Supplier<Optional<String>> token, long maxBytes, Duration timeout, SSLContext ssl) {
        String scheme = Objects.requireNonNull(base.getScheme(), "cloud URL needs a scheme").toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("cloud URL must be https:// (or http:// for a local test), got " + base);
        }
        this.base = base.getPath() == null || base.getPath().endsWith("/") ? base : URI.create(base + "/");
        this.token = token;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        SSLParameters tls = new SSLParameters();
        tls.setProtocols(new String[] {"TLSv1.3"});
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslParameters(tls);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.client = b.build();
    }

    /** Why a pull did not bring a package; the poller logs it. */
    public static final class PullException extends IOException {
        private static final long serialVersionUID = 1L;

        public PullException(String message) {
            super(message);
        }
    }

    /**
     * The latest package of {@code kind} when it is not {@code since}; empty when there is nothing
     * newer, no package of that kind, or no device token yet.
     */
    public Optional<SignedPackage> latest(Kind kind, Optional<PackageVersion> since) throws IOException, InterruptedException {
        Optional<String> bearer = token.get();
        if (bearer.isEmpty()) {
            return Optional.empty();
        }
        String query = since.map(v -> "?since=" + URLEncoder.encode(v.text(), StandardCharsets.US_ASCII)).orElse("");
        URI uri = base.resolve("api/v1/definitions/" + kind.id() + "/latest" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Authorization", "Bearer " + bearer.get())
                .header("Accept", "application/zip");
        since.ifPresent(v -> request.header("If-None-Match", etag(kind, v)));
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            switch (status) {
                case 200 -> { }
                case 304, 404 -> {
                    return Optional.empty();
                }
                case 401, 403 -> throw new PullException("the cloud refused the device token (" + status + ") for " + uri);
                default -> throw new PullException("the cloud answered " + status + " for " + uri);
            }
            String signature = response.headers().firstValue(SIGNATURE_HEADER)
                    .orElseThrow(() -> new PullException("the cloud's answer for " + uri + " has no " + SIGNATURE_HEADER + " header"));
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() > maxBytes) {
                throw new PullException("the " + kind + " package at " + uri + " has " + length.getAsLong()
                        + " bytes, over the limit of " + maxBytes + " (maxPackageBytes)");
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                readBounded(body, uri, got);
            } catch (PullException e) {
                throw e;
            } catch (IOException cut) {
                // Cut off: the rest of the same version by range, when the cloud offers ranges (a few times).
                Optional<String> etag = response.headers().firstValue("ETag");
                boolean ranges = response.headers().firstValue("Accept-Ranges").filter("bytes"::equalsIgnoreCase).isPresent();
                if (etag.isEmpty() || !ranges || !resume(uri, bearer.get(), etag.get(), got)) {
                    throw cut;
                }
            }
            return Optional.of(new SignedPackage(got.toByteArray(), SignedPackage.signatureOf(signature)));
        }
    }

    /** A TLS context trusting only the certificates of a PEM file (a CA or the cloud's own). */
    public static SSLContext trusting(Path pem) throws IOException {
        try {
            return PemTrust.context(pem, "TLSv1.3");
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": not usable as trusted certificates (" + e.getMessage() + ")", e);
        }
    }

    /** The entity tag of a version: {@code "<kind>-<version>"}. */
    public static String etag(Kind kind, PackageVersion version) {
        return "\"" + kind.id() + "-" + version.text() + "\"";
    }

    public URI base() {
        return base;
    }

    /** Resumptions of one cut-off download before the pull gives up until its next interval. */
    static final int RESUMPTIONS = 3;

    /**
     * Continues a download cut off after {@code got}'s bytes with {@code Range: bytes=N-} and
     * {@code If-Range} naming the version: a 206 from N appends the rest; anything else (another version
     * meanwhile, no range) ends it. The signature stays the first answer's, of the same version.
     *
     * @return true when the whole package is in {@code got}
     */
    private boolean resume(URI uri, String bearer, String etag, ByteArrayOutputStream got) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < RESUMPTIONS; attempt++) {
            long from = got.size();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().header("Authorization", "Bearer " + bearer)
                    .header("Accept", "application/zip").header("Range", "bytes=" + from + "-").header("If-Range", etag).build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (response.statusCode() != 206 || !range.startsWith("bytes " + from + "-")) {
                    return false;
                }
                readBounded(body, uri, got);
                return true;
            } catch (PullException e) {
                throw e;
            } catch (IOException cutAgain) {
                // try again from where it stopped
            }
        }
        return false;
    }

    private void readBounded(InputStream in, URI uri, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + (long) n > maxBytes) {
                throw new PullException("the package at " + uri + " is larger than " + maxBytes + " bytes (maxPackageBytes)");
            }
            out.write(buf, 0, n);
        }
    }
}
