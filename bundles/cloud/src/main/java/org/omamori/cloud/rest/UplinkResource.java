package org.omamori.cloud.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.omamori.cloud.ingest.ApiError;
import org.omamori.cloud.ingest.Ingest;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventCodec;
import org.omamori.store.IngestResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The appliance API of docs/api/uplink.yaml on the wire; the rules are in {@link Ingest}. */
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class UplinkResource {

    private static final Logger LOG = LoggerFactory.getLogger(UplinkResource.class);

    private final Supplier<Optional<Ingest>> ingest;
    private final ActivationLimiter activations;

    private final Supplier<Optional<org.omamori.store.DefinitionPackages>> packages;
    private final Supplier<Optional<org.omamori.store.ApplianceSettings>> settings;
    private final IngestMeters meters;

    UplinkResource(Supplier<Optional<Ingest>> ingest, ActivationLimiter activations,
                   Supplier<Optional<org.omamori.store.DefinitionPackages>> packages,
                   Supplier<Optional<org.omamori.store.ApplianceSettings>> settings) {
        this(ingest, activations, packages, settings, new IngestMeters(org.omamori.metrics.Meters.shared()));
    }

    UplinkResource(Supplier<Optional<Ingest>> ingest, ActivationLimiter activations,
                   Supplier<Optional<org.omamori.store.DefinitionPackages>> packages,
                   Supplier<Optional<org.omamori.store.ApplianceSettings>> settings, IngestMeters meters) {
        this.ingest = ingest;
        this.activations = activations;
        this.packages = packages;
        this.settings = settings;
        this.meters = meters;
    }

    /** Runs one endpoint's work, counting a refusal by the API's error code before it is answered. */
    private <T> T counted(String endpoint, Supplier<T> work) {
        try {
            return work.get();
        } catch (org.omamori.cloud.ingest.RefusedRequest e) {
            meters.refused(endpoint, e.error().error());
            throw e;
        }
    }

    /** Rate limited per client address and globally before anything is read: 429 with Retry-After. */
    @POST
    @Path("activate")
    public Response activate(@Context HttpHeaders headers, @Context HttpServletRequest request, InputStream body) {
        Optional<ActivationLimiter.Refusal> refused = activations.admit(client(request));
        if (refused.isPresent()) {
            long seconds = refused.get().retryAfter().toSeconds();
            meters.refused("activate", ApiError.RATE_LIMITED);
            return ErrorMappers.answer(ApiError.of(429, ApiError.RATE_LIMITED, "too many activation attempts from "
                    + (refused.get().global() ? "all clients" : "this address") + "; try again in " + seconds + " s"), seconds);
        }
        Ingest.Activated activated = counted("activate", () -> ingest().activate(body, length(headers)));
        LOG.info("appliance {} activated", activated.appliance());
        return json(200, g -> {
            g.writeStringField("appliance", activated.appliance().value());
            g.writeStringField("deviceToken", activated.deviceToken());
        });
    }

    @POST
    @Path("events")
    public Response events(@Context HttpHeaders headers, InputStream body) {
        long started = System.nanoTime();
        Ingest in = counted("events", this::ingest);
        ApplianceId appliance = counted("events", () -> in.authenticate(authorization(headers)));
        IngestResult result = counted("events", () -> in.events(appliance, body, length(headers)));
        meters.batch(result, System.nanoTime() - started);
        LOG.debug("appliance {}: {} events received, {} stored, {} duplicates", appliance, result.received(), result.stored(),
                result.duplicates());
        return json(200, g -> {
            g.writeNumberField("received", result.received());
            g.writeNumberField("stored", result.stored());
            g.writeNumberField("duplicates", result.duplicates());
        });
    }

    @POST
    @Path("heartbeat")
    public Response heartbeat(@Context HttpHeaders headers, InputStream body) {
        Ingest in = counted("heartbeat", this::ingest);
        ApplianceId appliance = counted("heartbeat", () -> in.authenticate(authorization(headers)));
        org.omamori.cloud.ingest.HeartbeatReport report = counted("heartbeat", () -> in.heartbeat(appliance, body, length(headers)));
        meters.heartbeat();
        // Newer definitions served to this appliance than it reported: say so, and it pulls without waiting.
        java.util.List<String> newer = packages.get().map(p -> newer(p, appliance, report.heartbeat().definitions())).orElse(java.util.List.of());
        // A version of its settings it has neither applied nor refused: it fetches it (docs/fleet.md).
        java.util.OptionalInt settingsVersion = settings.get().map(s -> s.toOffer(appliance)).orElse(java.util.OptionalInt.empty());
        if (newer.isEmpty() && settingsVersion.isEmpty()) {
            return Response.noContent().build();
        }
        return json(200, g -> {
            if (!newer.isEmpty()) {
                g.writeStringField("newDefinitions", String.join(",", newer));
            }
            if (settingsVersion.isPresent()) {
                g.writeNumberField("settingsVersion", settingsVersion.getAsInt());
            }
        });
    }

    static java.util.List<String> newer(org.omamori.store.DefinitionPackages packages, ApplianceId appliance,
                                        java.util.Map<String, String> inForce) {
        java.util.List<String> kinds = new java.util.ArrayList<>();
        for (String kind : org.omamori.store.DefinitionPackages.KINDS) {
            String has = inForce.get(kind);
            String hasKey = has != null && org.omamori.store.DefinitionPackages.VERSION.matcher(has).matches()
                    ? org.omamori.store.DefinitionPackages.sortKey(has) : "";
            packages.latestFor(kind, appliance.value()).filter(p -> org.omamori.store.DefinitionPackages.sortKey(p.version()).compareTo(hasKey) > 0)
                    .ifPresent(p -> kinds.add(kind));
        }
        return kinds;
    }

    /** The TCP peer (never a forwarded-for header: any client could write one). */
    private static InetAddress client(HttpServletRequest request) {
        try {
            return InetAddress.getByName(request.getRemoteAddr()); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("peer address is not a literal: " + e.getMessage(), e);
        }
    }

    private Ingest ingest() {
        return ingest.get().orElseThrow(() -> ApiError.unavailable("the cloud's store is not available; try again later").refused());
    }

    static Optional<String> authorization(HttpHeaders headers) {
        return Optional.ofNullable(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
    }

    static OptionalLong length(HttpHeaders headers) {
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(Long.MAX_VALUE); // Jetty refuses such a request before us; refuse it as too large
        }
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static Response json(int status, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(out.toByteArray()).build();
    }
}
