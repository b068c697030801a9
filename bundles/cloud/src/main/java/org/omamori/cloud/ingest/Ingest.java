package org.omamori.cloud.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.store.IngestResult;
import org.omamori.store.IngestStore;

/**
 * The cloud's side of docs/api/uplink.yaml, without HTTP: authenticates the device token, reads
 * a body strictly and within its size limit, checks it against the token's appliance and the
 * clock, and only then hands it to the {@link IngestStore}. Every refusal is a
 * {@link RefusedRequest} carrying the {@link ApiError} to answer, and stores nothing.
 */
public final class Ingest {

    /** RFC 6750 bearer token characters, as the API defines the device token. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");

    private final IngestStore store;
    private final Clock clock;
    private final IngestLimits limits;

    public Ingest(IngestStore store, Clock clock, IngestLimits limits) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The device token's appliance, from an {@code Authorization: Bearer} header; else 401. */
    public ApplianceId authenticate(Optional<String> authorization) {
        String header = authorization.orElse("").trim();
        if (header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw ApiError.unauthorized().refused();
        }
        String token = header.substring(7).trim();
        if (!TOKEN.matcher(token).matches()) {
            throw ApiError.unauthorized().refused();
        }
        return store.authenticate(token).orElseThrow(() -> ApiError.unauthorized().refused());
    }

    /** POST /api/v1/activate: the new device token; 401 when the code is unknown, used or another appliance's. */
    public Activated activate(InputStream body, OptionalLong contentLength) {
        ActivationRequest request = read(body, contentLength, UplinkJson::activation, true);
        String token = store.activate(request.appliance(), request.activationCode())
                .orElseThrow(() -> ApiError.of(401, ApiError.INVALID_ACTIVATION_CODE,
                        "the activation code is unknown, already used, expired, or issued for another appliance id;"
                                + " ask the operator for a new code").refused());
        return new Activated(request.appliance(), token);
    }

    /** The answer to an activation. {@link #toString} hides the token. */
    public record Activated(ApplianceId appliance, String deviceToken) {
        @Override
        public String toString() {
            return "Activated[" + appliance + "]";
        }
    }

    /** POST /api/v1/events from the token's appliance: validated whole, then stored in one go. */
    public IngestResult events(ApplianceId authenticated, InputStream body, OptionalLong contentLength) {
        EventBatch batch = read(body, contentLength, UplinkJson::batch, false);
        sameAppliance(authenticated, batch.appliance());
        Instant now = clock.instant();
        Instant latest = now.plus(limits.futureTolerance());
        Instant earliest = now.minus(limits.maxAge());
        List<Event> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (!e.appliance().equals(batch.appliance())) {
                throw new ApiError(422, ApiError.WRONG_APPLIANCE, "events[" + i + "].appliance: " + e.appliance()
                        + " is not the appliance of this batch (" + batch.appliance() + ")", OptionalInt.of(i),
                        Optional.of("appliance")).refused();
            }
            if (e.time().isAfter(latest)) {
                throw new ApiError(422, ApiError.FUTURE_EVENT, "events[" + i + "].time: " + e.time() + " is more than "
                        + limits.futureTolerance().toMinutes() + " minutes after the cloud's clock; check the appliance's clock (NTP)",
                        OptionalInt.of(i), Optional.of("time")).refused();
            }
            if (e.last().isAfter(latest)) { // a folded event's last occurrence (format 1.1)
                throw new ApiError(422, ApiError.FUTURE_EVENT, "events[" + i + "].last: " + e.last() + " is more than "
                        + limits.futureTolerance().toMinutes() + " minutes after the cloud's clock; check the appliance's clock (NTP)",
                        OptionalInt.of(i), Optional.of("last")).refused();
            }
            if (e.time().isBefore(earliest)) {
                throw new ApiError(422, ApiError.PAST_EVENT, "events[" + i + "].time: " + e.time() + " is more than "
                        + limits.maxAge().toDays() + " days before the cloud's clock, older than the cloud keeps events;"
                        + " check the appliance's clock (NTP)", OptionalInt.of(i), Optional.of("time")).refused();
            }
        }
        try {
            return store.store(batch.appliance(), events);
        } catch (IllegalArgumentException e) {
            // The store's own check of what was checked above: the batch is refused whole.
            throw new ApiError(422, ApiError.WRONG_APPLIANCE, "events: " + e.getMessage(), OptionalInt.empty(),
                    Optional.of("appliance")).refused();
        }
    }

    /** POST /api/v1/heartbeat from the token's appliance. */
    public HeartbeatReport heartbeat(ApplianceId authenticated, InputStream body, OptionalLong contentLength) {
        HeartbeatReport report = read(body, contentLength, UplinkJson::heartbeat, false);
        sameAppliance(authenticated, report.appliance());
        store.heartbeat(report.appliance(), report.heartbeat());
        return report;
    }

    /** POST /api/v1/settings/report from the token's appliance: read and checked; the caller stores it. */
    public SettingsReport settingsReport(ApplianceId authenticated, InputStream body, OptionalLong contentLength) {
        SettingsReport report = read(body, contentLength, UplinkJson::settingsReport, false);
        sameAppliance(authenticated, report.appliance());
        return report;
    }

    private static void sameAppliance(ApplianceId authenticated, ApplianceId claimed) {
        if (!authenticated.equals(claimed)) {
            throw new ApiError(403, ApiError.FORBIDDEN, "appliance: the device token belongs to another appliance than "
                    + claimed + "; send with this appliance's own token", OptionalInt.empty(), Optional.of("appliance")).refused();
        }
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    /**
     * Reads one JSON document of at most {@link IngestLimits#maxBodyBytes}: a declared larger
     * length is refused before the first byte, a longer stream as soon as it passes the limit.
     * After any other refusal the rest of the (bounded) body is read, so the client sees the answer.
     */
    private <T> T read(InputStream raw, OptionalLong contentLength, Reader<T> reader, boolean secret) {
        long limit = limits.maxBodyBytes();
        if (contentLength.isPresent() && contentLength.getAsLong() > limit) {
            throw ApiError.tooLarge(limit).refused();
        }
        BoundedBody body = new BoundedBody(raw, limit);
        try (JsonParser p = EventCodec.JSON.createParser(body)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            try {
                T value = reader.read(p);
                if (p.nextToken() != null) {
                    throw ApiError.malformed("not JSON: more content after the object" + at(p.currentLocation())).refused();
                }
                return value;
            } catch (BoundedBody.TooLarge e) {
                throw ApiError.tooLarge(limit).refused();
            } catch (JsonProcessingException e) {
                body.drain();
                // The parser's message quotes the text it choked on: not for a body with a secret in it.
                String why = secret ? "the body is not valid JSON" : "not JSON: " + String.valueOf(e.getOriginalMessage());
                throw ApiError.malformed(why + at(e.getLocation())).refused();
            } catch (RefusedRequest e) {
                body.drain();
                throw e;
            }
        } catch (BoundedBody.TooLarge e) {
            throw ApiError.tooLarge(limit).refused();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getByteOffset() < 0 ? "" : " at byte " + location.getByteOffset();
    }
}
