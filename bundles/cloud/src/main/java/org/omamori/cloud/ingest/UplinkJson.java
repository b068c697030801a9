package org.omamori.cloud.ingest;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFormatException;
import org.omamori.events.EventText;
import org.omamori.store.Heartbeat;

/**
 * Reads the three request bodies of docs/api/uplink.yaml as strictly as the schema says: every
 * required field once, with its JSON type, nothing else. A wrong JSON type is a 400
 * {@code wrong-type}; a right type with a refused value, a missing or unknown field is a 422.
 * Each reader starts before the body's first token and stops on its last.
 */
final class UplinkJson {

    /** The schema's {@code maxItems} of a batch. */
    static final int MAX_EVENTS = 5000;
    static final int MAX_CODE = 128;
    static final int MAX_FIRMWARE = 64;
    static final int MAX_FACT = 128;
    static final int MAX_RUNTIME = 16;
    static final int MAX_DEFINITIONS = 64;
    static final List<String> COUNTERS = List.of("spooled", "sent", "dropped", "quarantined", "pending", "spoolBytes");

    private UplinkJson() {
    }

    // ---- POST /api/v1/activate ----

    static ActivationRequest activation(JsonParser p) throws IOException {
        Fields f = new Fields(p, "", new String[] {"appliance", "activationCode", "firmwareVersion"});
        ApplianceId appliance = null;
        String code = null;
        String firmware = null;
        for (String name = f.next(); name != null; name = f.next()) {
            switch (name) {
                case "appliance" -> appliance = applianceId(p, name);
                case "activationCode" -> {
                    code = string(p, name);
                    if (code.isEmpty() || code.length() > MAX_CODE) {
                        throw invalid(name, "activationCode: 1 to " + MAX_CODE + " characters are expected; check the code the operator issued");
                    }
                }
                default -> firmware = bounded(p, name, MAX_FIRMWARE);
            }
        }
        f.requireAll();
        return new ActivationRequest(appliance, code, firmware);
    }

    // ---- POST /api/v1/events ----

    static EventBatch batch(JsonParser p) throws IOException {
        Fields f = new Fields(p, "", new String[] {"appliance", "events"});
        ApplianceId appliance = null;
        List<Event> events = null;
        for (String name = f.next(); name != null; name = f.next()) {
            if (name.equals("appliance")) {
                appliance = applianceId(p, name);
            } else {
                events = events(p);
            }
        }
        f.requireAll();
        if (events.isEmpty()) {
            throw invalid("events", "events: a batch has at least 1 event");
        }
        return new EventBatch(appliance, events);
    }

    private static List<Event> events(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiError.wrongType("events", "events: must be an array of event objects").refused();
        }
        List<Event> events = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int index = events.size();
            if (index == MAX_EVENTS) {
                throw invalid("events", "events: more than " + MAX_EVENTS + " events; send at most " + MAX_EVENTS + " per batch");
            }
            try {
                events.add(EventCodec.read(p));
            } catch (EventFormatException e) {
                throw eventError(index, e);
            }
        }
        return events;
    }

    /**
     * An event the codec refused: a wrong JSON type is 400 {@code wrong-type}, a control character
     * 422 {@code control-character}, anything else 422 {@code invalid-event}.
     */
    static RefusedRequest eventError(int index, EventFormatException e) {
        String text = e.getMessage() == null ? "not a valid event" : e.getMessage();
        String where = "events[" + index + "]" + e.field().map(n -> "." + n).orElse("");
        int status = e.problem() == EventFormatException.Problem.WRONG_TYPE ? 400 : 422;
        String code = switch (e.problem()) {
            case WRONG_TYPE -> ApiError.WRONG_TYPE;
            case CONTROL_CHARACTER -> ApiError.CONTROL_CHARACTER;
            case INVALID_VALUE -> ApiError.INVALID_EVENT;
        };
        return new ApiError(status, code, where + ": " + text, OptionalInt.of(index), e.field()).refused();
    }

    // ---- POST /api/v1/heartbeat ----

    static HeartbeatReport heartbeat(JsonParser p) throws IOException {
        Fields f = new Fields(p, "", new String[] {"appliance", "time", "startedAt", "firmwareVersion", "runtime", "definitions",
                "counters", "lastSuccess"});
        ApplianceId appliance = null;
        Instant time = null;
        Instant startedAt = null;
        String firmware = null;
        Map<String, String> runtime = null;
        Map<String, String> definitions = null;
        Map<String, Long> counters = null;
        Optional<Instant> lastSuccess = Optional.empty();
        for (String name = f.next(); name != null; name = f.next()) {
            switch (name) {
                case "appliance" -> appliance = applianceId(p, name);
                case "time" -> time = instant(p, name);
                case "startedAt" -> startedAt = instant(p, name);
                case "firmwareVersion" -> firmware = bounded(p, name, MAX_FIRMWARE);
                case "runtime" -> runtime = facts(p, name, MAX_RUNTIME);
                case "definitions" -> definitions = facts(p, name, MAX_DEFINITIONS);
                case "counters" -> counters = counters(p);
                default -> lastSuccess = p.currentToken() == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(instant(p, name));
            }
        }
        f.requireAll();
        return new HeartbeatReport(appliance, new Heartbeat(time, startedAt, firmware, runtime, definitions, counters), lastSuccess);
    }

    // ---- POST /api/v1/settings/report ----

    static final int MAX_REFUSAL = 1000;

    static SettingsReport settingsReport(JsonParser p) throws IOException {
        Fields f = new Fields(p, "", new String[] {"appliance", "version", "refusal"});
        ApplianceId appliance = null;
        int version = 0;
        Optional<String> refusal = Optional.empty();
        for (String name = f.next(); name != null; name = f.next()) {
            switch (name) {
                case "appliance" -> appliance = applianceId(p, name);
                case "version" -> {
                    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw ApiError.wrongType(name, "version: must be an integer").refused();
                    }
                    long v = p.getLongValue();
                    if (v < 1 || v > Integer.MAX_VALUE) {
                        throw invalid(name, "version: 1 or more");
                    }
                    version = (int) v;
                }
                default -> refusal = p.currentToken() == JsonToken.VALUE_NULL ? Optional.empty()
                        : Optional.of(bounded(p, name, MAX_REFUSAL));
            }
        }
        f.requireAll();
        return new SettingsReport(appliance, version, refusal);
    }

    private static Map<String, String> facts(JsonParser p, String field, int max) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ApiError.wrongType(field, field + ": must be an object of strings").refused();
        }
        Map<String, String> facts = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (key.isEmpty() || key.length() > MAX_FACT) {
                throw invalid(field, field + ": names are 1 to " + MAX_FACT + " characters");
            }
            int control = EventText.firstControl(key);
            if (control >= 0) {
                throw ApiError.controlCharacter(field, field + ": a name holds a control character at position " + control).refused();
            }
            if (facts.containsKey(key)) {
                throw invalid(field, field + "." + cut(key) + " twice");
            }
            facts.put(key, bounded(p, field, MAX_FACT, field + "." + cut(key)));
            if (facts.size() > max) {
                throw invalid(field, field + ": at most " + max + " entries");
            }
        }
        return Map.copyOf(facts);
    }

    private static Map<String, Long> counters(JsonParser p) throws IOException {
        Fields f = new Fields(p, "counters.", COUNTERS.toArray(String[]::new));
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String name = f.next(); name != null; name = f.next()) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw ApiError.wrongType(name, "counters." + name + ": must be an integer from 0").refused();
            }
            long value;
            try {
                value = p.getLongValue();
            } catch (IOException e) {
                throw invalid(name, "counters." + name + ": larger than a 64-bit integer");
            }
            if (value < 0) {
                throw invalid(name, "counters." + name + ": must not be negative: " + value);
            }
            counters.put(name, value);
        }
        f.requireAll();
        return Map.copyOf(counters);
    }

    // ---- values ----

    private static ApplianceId applianceId(JsonParser p, String field) throws IOException {
        String text = string(p, field);
        try {
            return new ApplianceId(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + ": '" + cut(text) + "' is not an appliance id (12 lower-case hex digits)");
        }
    }

    private static Instant instant(JsonParser p, String field) throws IOException {
        String text = string(p, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw invalid(field, field + ": '" + cut(text) + "' is not a UTC time like 2026-11-23T10:15:30.123Z");
        }
    }

    private static String bounded(JsonParser p, String field, int max) throws IOException {
        return bounded(p, field, max, field);
    }

    private static String bounded(JsonParser p, String field, int max, String where) throws IOException {
        String text = string(p, field, where);
        if (text.length() > max) {
            throw invalid(field, where + ": longer than " + max + " characters");
        }
        return text;
    }

    private static String string(JsonParser p, String field) throws IOException {
        return string(p, field, field);
    }

    /** A string value: valid JSON longer than the reader's bound is a refused value (422), as is a control character. */
    private static String string(JsonParser p, String field, String where) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw ApiError.wrongType(field, where + ": must be a string").refused();
        }
        String text;
        try {
            text = p.getText();
        } catch (StreamConstraintsException e) {
            throw invalid(field, where + ": longer than any field may be");
        }
        int control = EventText.firstControl(text);
        if (control >= 0) {
            throw ApiError.controlCharacter(field, where + ": holds a control character at position " + control).refused();
        }
        return text;
    }

    private static RefusedRequest invalid(String field, String message) {
        return ApiError.invalidRequest(message).withField(field).refused();
    }

    static String cut(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /** Walks the fields of one object: each known name at most once, no other name, all present at the end. */
    private static final class Fields {
        private final JsonParser p;
        private final String prefix;
        private final List<String> names;
        private final Set<String> seen = new HashSet<>();

        Fields(JsonParser p, String prefix, String[] names) throws IOException {
            this.p = p;
            this.prefix = prefix;
            this.names = List.of(names);
            JsonToken start = prefix.isEmpty() ? p.nextToken() : p.currentToken();
            if (start == null) {
                throw ApiError.malformed("the body is empty; a JSON object is expected").refused();
            }
            if (start != JsonToken.START_OBJECT) {
                String what = prefix.isEmpty() ? "the body" : prefix.substring(0, prefix.length() - 1);
                throw new ApiError(400, ApiError.WRONG_TYPE, what + ": must be a JSON object", OptionalInt.empty(),
                        prefix.isEmpty() ? Optional.empty() : Optional.of(what)).refused();
            }
        }

        /** The next field's name, with the parser on its value; null at the object's end. */
        String next() throws IOException {
            JsonToken t;
            try {
                t = p.nextToken();
            } catch (StreamConstraintsException e) {
                // Jackson reads a number with its field's name: one of more digits than any value has is refused, not bad JSON
                throw ApiError.invalidRequest(prefix + "a value longer than any field may be").refused();
            }
            if (t != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            if (!names.contains(name)) {
                throw ApiError.invalidRequest(prefix + "unknown field '" + cut(name) + "'; expected " + String.join(", ", names))
                        .refused();
            }
            if (!seen.add(name)) {
                throw invalid(name, prefix + name + ": the field appears twice");
            }
            p.nextToken();
            return name;
        }

        void requireAll() {
            for (String name : names) {
                if (!seen.contains(name)) {
                    throw invalid(name, prefix + name + ": the field is missing");
                }
            }
        }
    }
}
