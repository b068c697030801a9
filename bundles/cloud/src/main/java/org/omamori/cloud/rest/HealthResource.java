package org.omamori.cloud.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** GET /health: 200 {"status":"ok",...} or 503 {"status":"degraded",...} with each component's state. */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    private final Health health;

    HealthResource(Health health) {
        this.health = health;
    }

    @GET
    public Response health() {
        Map<String, String> components = health.components();
        boolean ok = health.ok(components);
        return UplinkResource.json(ok ? 200 : 503, g -> {
            g.writeStringField("status", ok ? "ok" : "degraded");
            g.writeObjectFieldStart("components");
            for (Map.Entry<String, String> c : components.entrySet()) {
                g.writeStringField(c.getKey(), c.getValue());
            }
            g.writeEndObject();
        });
    }
}
