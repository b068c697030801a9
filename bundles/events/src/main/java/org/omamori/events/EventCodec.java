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

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

/**
 * The JSON form of an event, shared by the spool, the uplink and the cloud's ingest
 * (docs/api/uplink.yaml). Reading is strict: every field must be present once with its type,
 * unknown fields are refused, text is bounded, addresses must be literals.
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
        "ruleId", "ruleName", "result", "level", "confidence", "evidence", "note"};
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

    /** Writes one event as a JSON object. */
    public static void write(Event e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id().toString());
        g.writeStringField("appliance", e.appliance().value());
        g.writeStringField("time", e.time().toString());
        g.writeStringField("kind", e.kind().wire());
        g.writeStringField("zoneFrom", e.zones().from().id());
        g.writeStringField("zoneTo", e.zones().to().id());
        g.writeStringField("source", e.source().getHostAddress());
        g.writeNumberField("sourcePort", e.sourcePort());
        g.writeStringField("destination", e.destination().getHostAddress());
        g.writeNumberField("destinationPort", e.destinationPort());
        g.writeStringField("mac", e.mac().map(MacAddress::toString).orElse(""));
        g.writeStringField("host", e.host());
        g.writeStringField("url", e.url());
        g.writeStringField("dnsName", e.dnsName());
        g.writeStringField("function", e.function().id());
        g.writeStringField("engineId", e.engineId());
        g.writeStringField("engineVersion", e.engineVersion());
        g.writeStringField("ruleId", e.ruleId());
        g.writeStringField("ruleName", e.ruleName());
        g.writeStringField("result", e.result().wire());
        g.writeStringField("level", e.level().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("confidence", e.confidence());
        g.writeStringField("evidence", e.evidence().id());
        g.writeStringField("note", e.note());
        g.writeEndObject();
    }

    /** One event as compact UTF-8 JSON. */
    public static byte[] toJson(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
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

    /** Reads the event object the parser stands on (at its START_OBJECT) and leaves it at its END_OBJECT. */
    public static Event read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new EventFormatException("an event is a JSON object");
        }
        Object[] values = new Object[FIELDS.length];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int index = indexOf(name);
            if (index < 0) {
                throw new EventFormatException("unknown field '" + cut(name) + "'");
            }
            if (values[index] != null) {
                throw new EventFormatException("field '" + name + "' twice");
            }
            JsonToken token = p.nextToken();
            if (token == JsonToken.VALUE_STRING) {
                values[index] = p.getText();
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                values[index] = p.getLongValue();
            } else {
                throw new EventFormatException("field '" + name + "' must be a string or an integer");
            }
        }
        for (int i = 0; i < FIELDS.length; i++) {
            if (values[i] == null) {
                throw new EventFormatException("field '" + FIELDS[i] + "' is missing");
            }
        }
        try {
            String mac = text(values, "mac");
            return new Event(EventId.parse(text(values, "id")), new ApplianceId(text(values, "appliance")),
                    Instant.parse(text(values, "time")), Kind.fromWire(text(values, "kind")),
                    new ZonePair(new Zone(text(values, "zoneFrom")), new Zone(text(values, "zoneTo"))),
                    IpLiteral.parse(text(values, "source")), port(values, "sourcePort"),
                    IpLiteral.parse(text(values, "destination")), port(values, "destinationPort"),
                    mac.isEmpty() ? Optional.empty() : Optional.of(MacAddress.parse(mac)),
                    text(values, "host"), text(values, "url"), text(values, "dnsName"),
                    new SecurityFunction(text(values, "function")), text(values, "engineId"),
                    text(values, "engineVersion"), text(values, "ruleId"), text(values, "ruleName"),
                    Result.fromWire(text(values, "result")), level(text(values, "level")),
                    (int) number(values, "confidence", 0, 100), new Evidence(text(values, "evidence")),
                    text(values, "note"));
        } catch (DateTimeException | IllegalArgumentException x) {
            throw new EventFormatException(x.getMessage());
        }
    }

    private static int indexOf(String name) {
        return FIELD_INDEX.getOrDefault(name, -1);
    }

    private static String text(Object[] values, String name) {
        if (values[indexOf(name)] instanceof String s) {
            return s;
        }
        throw new EventFormatException("field '" + name + "' must be a string");
    }

    private static long number(Object[] values, String name, long min, long max) {
        if (values[indexOf(name)] instanceof Long n && n >= min && n <= max) {
            return n;
        }
        throw new EventFormatException("field '" + name + "' must be an integer from " + min + " to " + max);
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
