package org.omamori.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFormatException;

/**
 * A cloud for tests: speaks docs/api/uplink.yaml over HTTPS, stores each event once by id and
 * records every id it received (to see duplicates), every heartbeat and every request. It can be
 * told to fail the next events requests: 503, slow (past the client's timeout), dropped
 * connection, or 422.
 */
public final class RecordingCloud implements AutoCloseable {

    public enum Failure { UNAVAILABLE, SLOW, DROP, INVALID }

    static final int MAX_BODY = 4 * 1024 * 1024;
    static final Duration FUTURE_SLACK = Duration.ofMinutes(10);

    public final String activationCode = "ACT-" + HexFormat.of().formatHex(random(6));
    public final String token = HexFormat.of().formatHex(random(32));
    public final Map<String, Event> stored = new ConcurrentHashMap<>();
    public final List<String> received = Collections.synchronizedList(new ArrayList<>());
    public final List<String> heartbeats = Collections.synchronizedList(new ArrayList<>());
    public final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger eventRequests = new AtomicInteger();
    public final AtomicInteger activations = new AtomicInteger();
    /** Every events request body exactly as it came over the wire. */
    public final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    volatile Duration slowFor = Duration.ofSeconds(3);

    private final HttpsServer server;

    public RecordingCloud(TestCertificates certificates, String... protocols) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.keyStore())) {
            store.load(in, TestCertificates.PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setProtocols(protocols.length == 0 ? new String[] {"TLSv1.3", "TLSv1.2"} : protocols);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/api/v1/activate", this::activate);
        server.createContext("/api/v1/events", this::events);
        server.createContext("/api/v1/heartbeat", this::heartbeat);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI uri() {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private void activate(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        activations.incrementAndGet();
        byte[] body = body(x);
        if (body == null) {
            return;
        }
        Map<String, Object> fields = CloudClient.fields(body);
        if (!activationCode.equals(fields.get("activationCode"))) {
            error(x, 401, "invalid-activation-code", "the activation code is unknown or already used");
            return;
        }
        respond(x, 200, "{\"appliance\":\"" + fields.get("appliance") + "\",\"deviceToken\":\"" + token + "\"}");
    }

    private boolean authorised(HttpExchange x) throws IOException {
        if (("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        error(x, 401, "unauthorized", "a valid device token is required");
        return false;
    }

    private void events(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        eventRequests.incrementAndGet();
        if (!authorised(x)) {
            return;
        }
        Failure failure = failures.poll();
        if (failure == Failure.DROP) {
            throw new IOException("test: connection dropped"); // the server closes the connection without an answer
        }
        if (failure == Failure.SLOW) {
            try {
                Thread.sleep(slowFor.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = body(x);
        if (body == null) {
            return;
        }
        bodies.add(body);
        if (failure == Failure.UNAVAILABLE) {
            x.getResponseHeaders().add("Retry-After", "0");
            error(x, 503, "unavailable", "try again later");
            return;
        }
        if (failure == Failure.INVALID) {
            error(x, 422, "invalid-event", "events[0].time: more than 10 minutes in the future");
            return;
        }
        List<Event> events = new ArrayList<>();
        String appliance = null;
        try (JsonParser p = EventCodec.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                error(x, 400, "malformed-json", "the body must be a JSON object");
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("appliance")) {
                    appliance = p.getText();
                } else if (name.equals("events") && p.currentToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        events.add(EventCodec.read(p));
                    }
                } else {
                    error(x, 400, "wrong-type", "unknown field " + name);
                    return;
                }
            }
        } catch (EventFormatException e) {
            error(x, 422, "invalid-event", "events[" + events.size() + "]: " + e.getMessage());
            return;
        } catch (IOException e) {
            error(x, 400, "malformed-json", "not JSON");
            return;
        }
        Instant latest = Instant.now().plus(FUTURE_SLACK);
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (!e.appliance().value().equals(appliance)) {
                error(x, 422, "wrong-appliance", "events[" + i + "].appliance: not this device's appliance");
                return;
            }
            if (e.time().isAfter(latest)) {
                error(x, 422, "future-event", "events[" + i + "].time: more than 10 minutes in the future");
                return;
            }
        }
        int storedNow = 0;
        for (Event e : events) {
            received.add(e.id().toString());
            if (stored.putIfAbsent(e.id().toString(), e) == null) {
                storedNow++;
            }
        }
        respond(x, 200, "{\"received\":" + events.size() + ",\"stored\":" + storedNow + ",\"duplicates\":" + (events.size() - storedNow) + "}");
    }

    private void heartbeat(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        if (!authorised(x)) {
            return;
        }
        byte[] body = body(x);
        if (body == null) {
            return;
        }
        heartbeats.add(new String(body, StandardCharsets.UTF_8));
        x.sendResponseHeaders(204, -1);
        x.close();
    }

    /** The request body, or null after answering 413 when it is too large. */
    private byte[] body(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY) {
                    error(x, 413, "too-large", "the body is larger than " + MAX_BODY + " bytes");
                    return null;
                }
            }
            return out.toByteArray();
        }
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        respond(x, status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static void respond(HttpExchange x, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Ids received more than once. */
    public List<String> duplicates() {
        List<String> copy;
        synchronized (received) {
            copy = new ArrayList<>(received);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        return copy.stream().filter(id -> !seen.add(id)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
