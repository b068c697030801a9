package org.omamori.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonGenerator;

import org.omamori.api.engine.MacAddress;

/**
 * The event encoder as it was before the field names and enum values were encoded once (issue 18):
 * the baseline of {@link EventJsonBenchmark}, kept only here.
 */
final class LegacyEventJson {

    private LegacyEventJson() {
    }

    static byte[] toJson(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
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
            if (e.count() > 1) {
                g.writeNumberField("count", e.count());
                g.writeStringField("last", e.last().toString());
            }
            g.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toByteArray();
    }
}
