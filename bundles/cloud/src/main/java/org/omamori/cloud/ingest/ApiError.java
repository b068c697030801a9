package org.omamori.cloud.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.core.JsonGenerator;

import org.omamori.events.EventCodec;

/**
 * The {@code Error} answer of docs/api/uplink.yaml: an HTTP status, a stable code, one line that
 * says what was wrong, where, and what to do (never a secret), and for batches the position and
 * field of the first refused event.
 */
public record ApiError(int status, String error, String message, OptionalInt index, Optional<String> field) {

    public static final String MALFORMED_JSON = "malformed-json";
    public static final String WRONG_TYPE = "wrong-type";
    public static final String INVALID_EVENT = "invalid-event";
    public static final String FUTURE_EVENT = "future-event";
    public static final String PAST_EVENT = "past-event";
    public static final String CONTROL_CHARACTER = "control-character";
    public static final String WRONG_APPLIANCE = "wrong-appliance";
    public static final String INVALID_REQUEST = "invalid-request";
    public static final String INVALID_ACTIVATION_CODE = "invalid-activation-code";
    public static final String TOO_LARGE = "too-large";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String UNAVAILABLE = "unavailable";
    public static final String RATE_LIMITED = "rate-limited";
    public static final String MALFORMED_REQUEST = "malformed-request";

    /** The schema's bound on {@code message}. */
    static final int MAX_MESSAGE = 1000;

    public ApiError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(field, "field");
        message = oneLine(message);
    }

    public static ApiError of(int status, String error, String message) {
        return new ApiError(status, error, message, OptionalInt.empty(), Optional.empty());
    }

    public static ApiError malformed(String message) {
        return of(400, MALFORMED_JSON, message);
    }

    public static ApiError wrongType(String field, String message) {
        return new ApiError(400, WRONG_TYPE, message, OptionalInt.empty(), Optional.of(field));
    }

    public static ApiError invalidRequest(String message) {
        return of(422, INVALID_REQUEST, message);
    }

    /** A text value holding a control character; the message says where, never the text. */
    public static ApiError controlCharacter(String field, String message) {
        return new ApiError(422, CONTROL_CHARACTER, message, OptionalInt.empty(), Optional.of(field));
    }

    public static ApiError tooLarge(long limit) {
        return of(413, TOO_LARGE, "the body is larger than " + limit + " bytes; send fewer events per batch");
    }

    public static ApiError unauthorized() {
        return of(401, UNAUTHORIZED, "a valid device token is required: Authorization: Bearer <token from /api/v1/activate>");
    }

    public static ApiError unavailable(String message) {
        return of(503, UNAVAILABLE, message);
    }

    /** The same error about the event at {@code index} of a batch. */
    public ApiError at(int position) {
        return new ApiError(status, error, message, OptionalInt.of(position), field);
    }

    public ApiError withField(String name) {
        return new ApiError(status, error, message, index, Optional.of(name));
    }

    /** As an exception, to leave the parsing of a request at once. */
    public RefusedRequest refused() {
        return new RefusedRequest(this);
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", error);
            g.writeStringField("message", message);
            if (index.isPresent()) {
                g.writeNumberField("index", index.getAsInt());
            }
            if (field.isPresent()) {
                g.writeStringField("field", field.get());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
