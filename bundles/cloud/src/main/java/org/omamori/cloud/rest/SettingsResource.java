package org.omamori.cloud.rest;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.omamori.cloud.ingest.ApiError;
import org.omamori.cloud.ingest.Ingest;
import org.omamori.cloud.ingest.SettingsReport;
import org.omamori.events.ApplianceId;
import org.omamori.store.ApplianceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The settings API of docs/api/uplink.yaml (docs/fleet.md "Configuration from the cloud"): an activated
 * appliance fetches the newest version of its desired settings (304 when it names it in
 * {@code If-None-Match}, 404 while the cloud holds none) and reports what it made of it.
 */
@Path("api/v1/settings")
public final class SettingsResource {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsResource.class);

    private final Supplier<Optional<Ingest>> ingest;
    private final Supplier<Optional<ApplianceSettings>> settings;

    SettingsResource(Supplier<Optional<Ingest>> ingest, Supplier<Optional<ApplianceSettings>> settings) {
        this.ingest = ingest;
        this.settings = settings;
    }

    @GET
    public Response desired(@Context HttpHeaders headers) {
        ApplianceId appliance = ingest().authenticate(UplinkResource.authorization(headers));
        ApplianceSettings.Version v = store().desired(appliance)
                .orElseThrow(() -> ApiError.of(404, "not-found", "no settings are held for this appliance; it keeps its own").refused());
        String etag = "\"settings-" + v.version() + "\"";
        if (etag.equals(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH))) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return Response.fromResponse(UplinkResource.json(200, g -> {
            g.writeStringField("appliance", appliance.value());
            g.writeNumberField("version", v.version());
            g.writeStringField("changedAt", v.changedAt().toString());
            g.writeObjectFieldStart("settings");
            for (Map.Entry<String, String> e : new TreeMap<>(v.settings()).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        })).header(HttpHeaders.ETAG, etag).build();
    }

    @POST
    @Path("report")
    public Response report(@Context HttpHeaders headers, InputStream body) {
        Ingest in = ingest();
        ApplianceId appliance = in.authenticate(UplinkResource.authorization(headers));
        SettingsReport report = in.settingsReport(appliance, body, UplinkResource.length(headers));
        ApplianceSettings store = store();
        int newest = store.desired(appliance).map(ApplianceSettings.Version::version).orElse(0);
        if (report.version() > newest) {
            throw ApiError.invalidRequest("version: " + report.version() + " was never sent to this appliance (newest " + newest + ")")
                    .withField("version").refused();
        }
        store.reported(appliance, report.version(), report.refusal());
        if (report.refusal().isPresent()) {
            LOG.warn("appliance {} refused its settings version {}: {}", appliance, report.version(), report.refusal().get());
        } else {
            LOG.info("appliance {} applied its settings version {}", appliance, report.version());
        }
        return Response.noContent().build();
    }

    private Ingest ingest() {
        return ingest.get().orElseThrow(() -> ApiError.unavailable("the cloud's store is not available; try again later").refused());
    }

    private ApplianceSettings store() {
        return settings.get().orElseThrow(() -> ApiError.unavailable("settings are not served here; try again later").refused());
    }
}
