package org.omamori.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.omamori.events.ApplianceId;
import org.omamori.events.EventCodec;
import org.omamori.spool.Batch;

/**
 * The three calls of the cloud's appliance API (docs/api/uplink.yaml), each answered as a
 * {@link CloudAnswer}. Never throws for what the network or the cloud does; never puts the
 * token or the activation code in a message.
 */
public final class CloudClient implements AutoCloseable {

    /** Largest answer read; the cloud's answers are a few hundred bytes. */
    private static final int MAX_ANSWER = 64 * 1024;
    private static final String JSON = "application/json";

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;

    public CloudClient(HttpClient http, URI base, Duration timeout) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
    }

    /** POST /api/v1/activate: the one-time activation code for a device token. */
    public CloudAnswer activate(ApplianceId appliance, String activationCode, String firmwareVersion) {
        byte[] body = json(g -> {
            g.writeStringField("appliance", appliance.value());
            g.writeStringField("activationCode", activationCode);
            g.writeStringField("firmwareVersion", firmwareVersion);
        });
        return post("api/v1/activate", Optional.empty(), body, (status, fields) -> {
            if (status != 200 || !(fields.get("deviceToken") instanceof String token)) {
                return new CloudAnswer.Failed("activation answered HTTP " + status + " without a deviceToken", Duration.ZERO);
            }
            try {
                return new CloudAnswer.Activated(DeviceToken.of(token));
            } catch (IllegalArgumentException e) {
                return new CloudAnswer.Failed("activation answered an unusable device token: " + e.getMessage(), Duration.ZERO);
            }
        });
    }

    /**
     * POST /api/v1/events: one batch, its events sent as the spool stored them ({@link StoredBody}:
     * none decoded or encoded again).
     */
    public CloudAnswer sendEvents(DeviceToken token, ApplianceId appliance, Batch batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a batch sent has at least one event");
        }
        return post("api/v1/events", Optional.of(token), StoredBody.of(appliance, batch), (status, fields) -> {
            if (status == 200 && fields.get("received") instanceof Long received && fields.get("stored") instanceof Long stored) {
                return new CloudAnswer.Accepted(received.intValue(), stored.intValue());
            }
            return new CloudAnswer.Failed("events answered HTTP " + status + " without received/stored counts", Duration.ZERO);
        });
    }

    /** POST /api/v1/heartbeat. */
    public CloudAnswer heartbeat(DeviceToken token, Heartbeat heartbeat) {
        return post("api/v1/heartbeat", Optional.of(token), heartbeat.toJson(),
                (status, fields) -> new CloudAnswer.Beat(kinds(fields.get("newDefinitions")),
                        fields.get("settingsVersion") instanceof Long v && v > 0 && v <= Integer.MAX_VALUE
                                ? java.util.OptionalInt.of(v.intValue()) : java.util.OptionalInt.empty()));
    }

    /** Largest settings document read (docs/fleet.md: at most 200 settings of 2,000 characters). */
    public static final int MAX_SETTINGS = 1 << 20;

    /**
     * GET /api/v1/settings (docs/fleet.md): the JSON of the newest version of this appliance's settings,
     * empty when the cloud answers 304 (it is {@code inForce}) or 404 (the cloud holds none).
     *
     * @throws IOException the cloud did not answer, or answered anything else (the message says what)
     */
    public Optional<byte[]> settings(DeviceToken token, java.util.OptionalInt inForce) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/v1/settings")).timeout(timeout)
                .header("Accept", JSON).header("Authorization", token.authorization()).GET();
        inForce.ifPresent(v -> request.header("If-None-Match", "\"settings-" + v + "\""));
        HttpResponse<InputStream> response;
        byte[] answer;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                answer = in.readNBytes(MAX_SETTINGS + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        int status = response.statusCode();
        if (status == 304 || status == 404) {
            return Optional.empty();
        }
        if (status != 200) {
            String message = fields(answer).get("message") instanceof String m ? clean(m) : "(no message)";
            throw new IOException("settings: HTTP " + status + ": " + message);
        }
        if (answer.length > MAX_SETTINGS) {
            throw new IOException("settings: the answer is larger than " + MAX_SETTINGS + " bytes");
        }
        return Optional.of(answer);
    }

    /** POST /api/v1/settings/report: {@code version} applied (refusal empty) or refused with the reason. */
    public CloudAnswer reportSettings(DeviceToken token, ApplianceId appliance, int version, Optional<String> refusal) {
        byte[] body = json(g -> {
            g.writeStringField("appliance", appliance.value());
            g.writeNumberField("version", version);
            if (refusal.isPresent()) {
                String r = refusal.get();
                g.writeStringField("refusal", r.length() > 1000 ? r.substring(0, 999) + "…" : r);
            } else {
                g.writeNullField("refusal");
            }
        });
        return post("api/v1/settings/report", Optional.of(token), body, (status, fields) -> new CloudAnswer.Accepted(0, 0));
    }

    /** The kinds a heartbeat's answer names ({@code "urlfilter,ips"}), only those the API knows. */
    static java.util.Set<String> kinds(Object field) {
        if (!(field instanceof String list) || list.length() > 200) {
            return java.util.Set.of();
        }
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (String k : list.split(",")) {
            if (java.util.List.of("urlfilter", "ips", "av", "keys", "runtime").contains(k.strip())) {
                kinds.add(k.strip());
            }
        }
        return kinds;
    }

    private interface Success {
        CloudAnswer answer(int status, Map<String, Object> fields);
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private CloudAnswer post(String path, Optional<DeviceToken> token, byte[] body, Success success) {
        return post(path, token, HttpRequest.BodyPublishers.ofByteArray(body), success);
    }

    private CloudAnswer post(String path, Optional<DeviceToken> token, HttpRequest.BodyPublisher body, Success success) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Content-Type", JSON)
                .header("Accept", JSON)
                .POST(body);
        token.ifPresent(t -> request.header("Authorization", t.authorization()));
        HttpResponse<InputStream> response;
        byte[] answer;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                answer = in.readNBytes(MAX_ANSWER);
            }
        } catch (SSLException e) {
            return new CloudAnswer.Failed("TLS with " + base.getHost() + " failed (is the cloud's certificate trusted"
                    + " and TLS 1.3 offered?): " + e.getMessage(), Duration.ZERO);
        } catch (IOException e) {
            return new CloudAnswer.Failed("no answer from " + base.getHost() + ": " + e, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CloudAnswer.Failed("interrupted", Duration.ZERO);
        }
        int status = response.statusCode();
        Map<String, Object> fields = fields(answer);
        if (status >= 200 && status < 300) {
            return success.answer(status, fields);
        }
        String message = fields.get("message") instanceof String m ? clean(m) : "(no message)";
        return switch (status) {
            case 400, 422 -> new CloudAnswer.Refused(status, message);
            case 413 -> new CloudAnswer.TooLarge(message);
            case 401, 403 -> new CloudAnswer.Unauthorized(status, message);
            default -> new CloudAnswer.Failed("HTTP " + status + ": " + message,
                    retryAfter(response.headers().firstValue("Retry-After")));
        };
    }

    /** The top-level scalar fields of a JSON object; empty when the body is not one. */
    static Map<String, Object> fields(byte[] body) {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = EventCodec.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return fields;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (t) {
                    case VALUE_STRING -> fields.put(name, p.getText());
                    case VALUE_NUMBER_INT -> fields.put(name, p.getLongValue());
                    case VALUE_TRUE, VALUE_FALSE -> fields.put(name, p.getBooleanValue());
                    case START_OBJECT, START_ARRAY -> p.skipChildren();
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: no fields.
        }
        return fields;
    }

    private static Duration retryAfter(Optional<String> header) {
        try {
            return header.map(String::trim).map(Long::parseLong).map(s -> Duration.ofSeconds(Math.min(Math.max(s, 0), 3600)))
                    .orElse(Duration.ZERO);
        } catch (NumberFormatException e) {
            return Duration.ZERO; // an HTTP date: the backoff decides
        }
    }

    /** A cloud's message, one short line of printable text. */
    private static String clean(String message) {
        String line = message.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }

    @Override
    public void close() {
        http.shutdownNow();
        http.close();
    }
}
