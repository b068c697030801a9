package org.omamori.store.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** The heartbeat's maps as JSON objects in text columns, keys sorted. */
final class JsonMaps {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonMaps() {
    }

    static String write(Map<String, ?> map) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, ?> e : new TreeMap<>(map).entrySet()) {
                if (e.getValue() instanceof Number n) {
                    g.writeNumberField(e.getKey(), n.longValue());
                } else {
                    g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A map whose empty values are JSON nulls (a setting removed). */
    static String writeOptional(Map<String, java.util.Optional<String>> map) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, java.util.Optional<String>> e : new TreeMap<>(map).entrySet()) {
                if (e.getValue().isPresent()) {
                    g.writeStringField(e.getKey(), e.getValue().get());
                } else {
                    g.writeNullField(e.getKey());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Map<String, java.util.Optional<String>> readOptional(String json) {
        Map<String, java.util.Optional<String>> map = new LinkedHashMap<>();
        read(json, (p, name) -> map.put(name, p.currentToken() == JsonToken.VALUE_NULL ? java.util.Optional.empty()
                : java.util.Optional.of(p.getText())));
        return Map.copyOf(map);
    }

    static Map<String, String> readStrings(String json) {
        Map<String, String> map = new LinkedHashMap<>();
        read(json, (p, name) -> map.put(name, p.getText()));
        return Map.copyOf(map);
    }

    static Map<String, Long> readLongs(String json) {
        Map<String, Long> map = new LinkedHashMap<>();
        read(json, (p, name) -> map.put(name, p.getLongValue()));
        return Map.copyOf(map);
    }

    private interface Field {
        void take(JsonParser p, String name) throws IOException;
    }

    private static void read(String json, Field field) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("a stored map is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                field.take(p, name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
