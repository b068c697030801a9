package org.omamori.cloud.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.omamori.metrics.HealthReport;

/**
 * GET /health: {"status":"ok"|"degraded","components":{"store":"ok","mail":"degraded: why",...}};
 * 200 unless an essential component (http, store) is not ok, then 503.
 */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    private final Health health;

    HealthResource(Health health) {
        this.health = health;
    }

    @GET
    public Response health() {
        HealthReport report = health.report();
        return UplinkResource.json(report.essentialOk() ? 200 : 503, g -> {
            g.writeStringField("status", report.status());
            g.writeObjectFieldStart("components");
            for (Map.Entry<String, org.omamori.metrics.Health> c : report.checks().entrySet()) {
                g.writeStringField(c.getKey(), c.getValue().toString());
            }
            g.writeEndObject();
        });
    }
}
