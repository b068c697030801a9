package org.omamori.fleet;

import org.omamori.api.text.Printable;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import org.omamori.events.ApplianceId;

/** One version of the appliance's settings as the cloud sent it (GET /api/v1/settings). */
public record SettingsDocument(int version, Map<String, String> settings) {

    public static final int MAX_SETTINGS = 200;
    public static final int MAX_VALUE_CHARS = 2000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_VALUE_CHARS * 4).maxNestingDepth(4).build()).build();

    public SettingsDocument {
        settings = Map.copyOf(settings);
    }

    /**
     * Reads the cloud's answer strictly: an object of {@code appliance} (this one), {@code version},
     * {@code changedAt} and {@code settings} (an object of strings); anything else is refused.
     */
    public static SettingsDocument parse(byte[] json, ApplianceId expected) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the settings are not a JSON object");
            }
            String appliance = null;
            Integer version = null;
            Map<String, String> settings = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "appliance" -> appliance = text(p, t, name);
                    case "changedAt" -> text(p, t, name);
                    case "version" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 1 || p.getLongValue() > Integer.MAX_VALUE) {
                            throw new IllegalArgumentException("version: a positive integer is expected");
                        }
                        version = p.getIntValue();
                    }
                    case "settings" -> settings = settings(p, t);
                    default -> throw new IllegalArgumentException("unknown field '" + Printable.shown(name, 80) + "' in the settings");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("the settings are not one JSON object");
            }
            if (appliance == null || version == null || settings == null) {
                throw new IllegalArgumentException("the settings lack appliance, version or settings");
            }
            if (!appliance.equals(expected.value())) {
                throw new IllegalArgumentException("the settings are for appliance " + Printable.shown(appliance, 80) + ", not this one");
            }
            return new SettingsDocument(version, settings);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the settings are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> settings(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("settings: an object of strings is expected");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String value = text(p, p.nextToken(), key);
            if (value.length() > MAX_VALUE_CHARS) {
                throw new IllegalArgumentException(Printable.shown(key, 80) + ": longer than " + MAX_VALUE_CHARS + " characters");
            }
            if (settings.put(key, value) != null) {
                throw new IllegalArgumentException(Printable.shown(key, 80) + ": given twice");
            }
            if (settings.size() > MAX_SETTINGS) {
                throw new IllegalArgumentException("more than " + MAX_SETTINGS + " settings");
            }
        }
        return settings;
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(Printable.shown(field, 80) + ": a string is expected");
        }
        return p.getText();
    }
}
