package org.omamori.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.SerializedString;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.EventFormatException.Problem;

/**
 * The JSON form of an event, shared by the spool, the uplink and the cloud's ingest
 * (docs/api/uplink.yaml). Reading is strict: every field must be present once with its type,
 * unknown fields are refused, text is bounded, addresses must be literals. The two fields of
 * format 1.1, {@code count} and {@code last}, are optional: written only for an event that stands
 * for more than one occurrence (so a single occurrence is the same JSON as format 1.0), and read
 * as 1 and {@code time} when absent (an older appliance's events, an older spool's records).
 */
public final class EventCodec {

    /** Bounds any document read, before a field is looked at. */
    public static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Event.MAX_URL * 4).maxNestingDepth(8).maxNumberLength(20).build())
            .build();

    private static final String[] FIELDS = {
        "id", "appliance", "time", "kind", "zoneFrom", "zoneTo", "source", "sourcePort", "destination",
        "destinationPort", "mac", "host", "url", "dnsName", "function", "engineId", "engineVersion",
        "ruleId", "ruleName", "result", "level", "confidence", "evidence", "note", "count", "last"};
    /** The fields before these may be absent (format 1.0 had none of them). */
    private static final int FIRST_OPTIONAL = 24;
    /** Field name to its slot: the cloud looks up every field of every event it ingests. */
    private static final Map<String, Integer> FIELD_INDEX = index();

    private static Map<String, Integer> index() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < FIELDS.length; i++) {
            m.put(FIELDS[i], i);
        }
        return Map.copyOf(m);
    }

    private EventCodec() {
    }

    /** The fields in the order they are written ({@link EventJson} writes the same). */
    static String[] fieldNames() {
        return FIELDS.clone();
    }

    /**
     * The field names, quoted and UTF-8 encoded once: a name given as a {@code String} is escaped
     * and encoded again for every event (the names were half the encoding work of the DNS filter's
     * event thread). Index as {@link #FIELDS}.
     */
    private static final SerializedString[] NAMES = java.util.Arrays.stream(FIELDS).map(SerializedString::new)
            .toArray(SerializedString[]::new);
    /** The wire forms of the enum facts, made once: {@code level} was lower-cased for every event. */
    private static final SerializedString[] KINDS = wires(Kind.values(), Kind::wire);
    private static final SerializedString[] RESULTS = wires(Result.values(), Result::wire);
    private static final SerializedString[] LEVELS = wires(Level.values(), l -> l.name().toLowerCase(Locale.ROOT));

    private static <T> SerializedString[] wires(T[] values, Function<T, String> wire) {
        return java.util.Arrays.stream(values).map(v -> new SerializedString(wire.apply(v))).toArray(SerializedString[]::new);
    }

    /** Writes one event as a JSON object. */
    public static void write(Event e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, 0, e.id().toString());
        string(g, 1, e.appliance().value());
        string(g, 2, e.time().toString());
        g.writeFieldName(NAMES[3]);
        g.writeString(KINDS[e.kind().ordinal()]);
        string(g, 4, e.zones().from().id());
        string(g, 5, e.zones().to().id());
        string(g, 6, e.source().getHostAddress());
        number(g, 7, e.sourcePort());
        string(g, 8, e.destination().getHostAddress());
        number(g, 9, e.destinationPort());
        string(g, 10, e.mac().isEmpty() ? "" : e.mac().get().toString());
        string(g, 11, e.host());
        string(g, 12, e.url());
        string(g, 13, e.dnsName());
        string(g, 14, e.function().id());
        string(g, 15, e.engineId());
        string(g, 16, e.engineVersion());
        string(g, 17, e.ruleId());
        string(g, 18, e.ruleName());
        g.writeFieldName(NAMES[19]);
        g.writeString(RESULTS[e.result().ordinal()]);
        g.writeFieldName(NAMES[20]);
        g.writeString(LEVELS[e.level().ordinal()]);
        number(g, 21, e.confidence());
        string(g, 22, e.evidence().id());
        string(g, 23, e.note());
        if (e.count() > 1) {
            g.writeFieldName(NAMES[24]);
            g.writeNumber(e.count());
            string(g, 25, e.last().toString());
        }
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, int field, String value) throws IOException {
        g.writeFieldName(NAMES[field]);
        g.writeString(value);
    }

    private static void number(JsonGenerator g, int field, int value) throws IOException {
        g.writeFieldName(NAMES[field]);
        g.writeNumber(value);
    }

    /** One event as compact UTF-8 JSON. */
    public static byte[] toJson(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024); // a DNS threat event is ~600 bytes: no regrowth
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(e, g);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toByteArray();
    }

    /** Reads one event from UTF-8 JSON. */
    public static Event fromJson(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            Event e = read(p);
            if (p.nextToken() != null) {
                throw new EventFormatException("trailing content after the event");
            }
            return e;
        } catch (JsonProcessingException x) {
            throw new EventFormatException("not JSON: " + x.getOriginalMessage());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * Reads the event object the parser stands on (at its START_OBJECT) and leaves it at its
     * END_OBJECT. Refuses (with the {@link EventFormatException.Problem} and the field) a wrong
     * JSON type, a missing, unknown or repeated field, a refused value, and text holding a
     * control character: an appliance escapes those where it makes the event ({@link EventText}).
     */
    public static Event read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new EventFormatException(Problem.WRONG_TYPE, null, "an event is a JSON object");
        }
        Object[] values = new Object[FIELDS.length];
        while (nextField(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int index = indexOf(name);
            if (index < 0) {
                throw new EventFormatException("unknown field '" + cut(name) + "'");
            }
            if (values[index] != null) {
                throw new EventFormatException(Problem.INVALID_VALUE, name, "field '" + name + "' twice");
            }
            values[index] = value(p, name);
        }
        for (int i = 0; i < FIRST_OPTIONAL; i++) {
            if (values[i] == null) {
                throw new EventFormatException(Problem.INVALID_VALUE, FIELDS[i], "field '" + FIELDS[i] + "' is missing");
            }
        }
        String mac = text(values, "mac", Event.MAX_TEXT);
        long count = values[indexOf("count")] == null ? 1 : number(values, "count", 1, Event.MAX_COUNT);
        Event e;
        try {
            Instant time = parsed(values, "time", Instant::parse);
            Instant last = values[indexOf("last")] == null ? time : parsed(values, "last", Instant::parse);
            if (last.isBefore(time)) {
                throw new EventFormatException(Problem.INVALID_VALUE, "last", "field 'last': " + last + " is before time " + time);
            }
            if (count == 1 && !last.equals(time)) {
                throw new EventFormatException(Problem.INVALID_VALUE, "last",
                        "field 'last': " + last + " differs from time " + time + " while count is 1");
            }
            e = new Event(parsed(values, "id", EventId::parse), parsed(values, "appliance", ApplianceId::new),
                    time, parsed(values, "kind", Kind::fromWire),
                    new ZonePair(parsed(values, "zoneFrom", Zone::new), parsed(values, "zoneTo", Zone::new)),
                    parsed(values, "source", IpLiteral::parse), port(values, "sourcePort"),
                    parsed(values, "destination", IpLiteral::parse), port(values, "destinationPort"),
                    mac.isEmpty() ? Optional.empty() : Optional.of(parsed(values, "mac", MacAddress::parse)),
                    text(values, "host", Event.MAX_NAME), text(values, "url", Event.MAX_URL), text(values, "dnsName", Event.MAX_NAME),
                    parsed(values, "function", SecurityFunction::new), text(values, "engineId", Event.MAX_TEXT),
                    text(values, "engineVersion", Event.MAX_TEXT), text(values, "ruleId", Event.MAX_TEXT),
                    text(values, "ruleName", Event.MAX_TEXT),
                    parsed(values, "result", Result::fromWire), parsed(values, "level", EventCodec::level),
                    (int) number(values, "confidence", 0, 100), parsed(values, "evidence", Evidence::new),
                    text(values, "note", Event.MAX_TEXT), count, last);
        } catch (EventFormatException x) {
            throw x;
        } catch (DateTimeException | IllegalArgumentException x) {
            throw new EventFormatException(x.getMessage());
        }
        return e;
    }

    /**
     * The next token. Jackson reads a number together with its field's name, so a number longer
     * than the bound fails here: a refused value (422 at the cloud), not bad JSON.
     */
    private static JsonToken nextField(JsonParser p) throws IOException {
        try {
            return p.nextToken();
        } catch (StreamConstraintsException x) {
            String name = p.currentName();
            String field = name != null && indexOf(name) >= 0 ? name : null;
            throw new EventFormatException(Problem.INVALID_VALUE, field, (field == null ? "a value" : field)
                    + " longer than any event field may be");
        }
    }

    /** The value of field {@code name}, the parser on its name: a String, a Long, or a refusal. */
    private static Object value(JsonParser p, String name) throws IOException {
        try {
            JsonToken token = p.nextToken();
            if (token == JsonToken.VALUE_STRING) {
                String text = p.getText();
                int at = EventText.firstControl(text);
                if (at >= 0) {
                    throw new EventFormatException(Problem.CONTROL_CHARACTER, name, EventText.describe(name, text, at));
                }
                return text;
            }
            if (token == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new EventFormatException(Problem.INVALID_VALUE, name, "field '" + name + "' is out of range: " + cut(p.getText()));
                }
                return p.getLongValue();
            }
        } catch (StreamConstraintsException x) {
            // Valid JSON of the right type, but longer than any field may be: a refused value, not bad JSON.
            throw new EventFormatException(Problem.INVALID_VALUE, name, name + " longer than any event field may be");
        }
        throw new EventFormatException(Problem.WRONG_TYPE, name, "field '" + name + "' must be a string or an integer");
    }

    private static int indexOf(String name) {
        return FIELD_INDEX.getOrDefault(name, -1);
    }

    private static String text(Object[] values, String name) {
        if (values[indexOf(name)] instanceof String s) {
            return s;
        }
        throw new EventFormatException(Problem.WRONG_TYPE, name, "field '" + name + "' must be a string");
    }

    private static String text(Object[] values, String name, int max) {
        String s = text(values, name);
        if (s.length() > max) {
            throw new EventFormatException(Problem.INVALID_VALUE, name, name + " longer than " + max + " characters");
        }
        return s;
    }

    /** A text field made into its type; a refused value names the field. */
    private static <T> T parsed(Object[] values, String name, Function<String, T> parse) {
        String s = text(values, name);
        try {
            return parse.apply(s);
        } catch (EventFormatException x) {
            throw new EventFormatException(x.problem(), name, x.getMessage());
        } catch (DateTimeException | IllegalArgumentException x) {
            throw new EventFormatException(Problem.INVALID_VALUE, name, "field '" + name + "': " + x.getMessage());
        }
    }

    private static long number(Object[] values, String name, long min, long max) {
        Object value = values[indexOf(name)];
        if (!(value instanceof Long n)) {
            throw new EventFormatException(Problem.WRONG_TYPE, name, "field '" + name + "' must be an integer from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new EventFormatException(Problem.INVALID_VALUE, name, "field '" + name + "' is out of range: " + n + " (" + min + " to " + max + ")");
        }
        return n;
    }

    private static int port(Object[] values, String name) {
        return (int) number(values, name, 0, 65535);
    }

    private static Level level(String text) {
        for (Level l : Level.values()) {
            if (l.name().toLowerCase(Locale.ROOT).equals(text)) {
                return l;
            }
        }
        throw new EventFormatException("unknown level '" + cut(text) + "'");
    }

    private static String cut(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
