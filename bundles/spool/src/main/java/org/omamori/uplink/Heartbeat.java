package org.omamori.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;

import org.omamori.events.ApplianceId;
import org.omamori.events.EventCodec;

/**
 * What the appliance says about itself every heartbeat (POST /api/v1/heartbeat). Counters are
 * since the appliance (the uplink) started.
 */
public record Heartbeat(ApplianceId appliance, Instant time, Instant startedAt, String firmwareVersion,
                        Map<String, String> runtime, Map<String, String> definitions, Counters counters,
                        Optional<Instant> lastSuccess) {

    /**
     * @param spooled     events put in the spool
     * @param sent        events the cloud acknowledged
     * @param dropped     access-log events dropped from a full spool
     * @param quarantined events set aside because the cloud refused them
     * @param pending     events waiting in the spool
     * @param spoolBytes  size of the spool's files
     */
    public record Counters(long spooled, long sent, long dropped, long quarantined, long pending, long spoolBytes) {
    }

    public Heartbeat {
        runtime = Map.copyOf(runtime);
        definitions = Map.copyOf(definitions);
    }

    /** The runtime of this JVM: java, os, arch. */
    public static Map<String, String> currentRuntime() {
        return Map.of("java", Runtime.version().toString(),
                "os", System.getProperty("os.name", "") + " " + System.getProperty("os.version", ""),
                "arch", System.getProperty("os.arch", ""));
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("appliance", appliance.value());
            g.writeStringField("time", time.toString());
            g.writeStringField("startedAt", startedAt.toString());
            g.writeStringField("firmwareVersion", firmwareVersion);
            writeMap(g, "runtime", runtime);
            writeMap(g, "definitions", definitions);
            g.writeObjectFieldStart("counters");
            g.writeNumberField("spooled", counters.spooled());
            g.writeNumberField("sent", counters.sent());
            g.writeNumberField("dropped", counters.dropped());
            g.writeNumberField("quarantined", counters.quarantined());
            g.writeNumberField("pending", counters.pending());
            g.writeNumberField("spoolBytes", counters.spoolBytes());
            g.writeEndObject();
            if (lastSuccess.isPresent()) {
                g.writeStringField("lastSuccess", lastSuccess.get().toString());
            } else {
                g.writeNullField("lastSuccess");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
