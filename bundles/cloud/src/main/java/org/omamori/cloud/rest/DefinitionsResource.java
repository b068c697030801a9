package org.omamori.cloud.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.cloud.ingest.ApiError;
import org.omamori.cloud.ingest.Ingest;
import org.omamori.events.ApplianceId;
import org.omamori.store.DefinitionPackages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The definitions API of docs/api/definitions.yaml: an activated appliance asks for the newest
 * package of a kind served to it (a package in its canary stage goes to its canaries only) and gets it with its detached signature (which it checks against the operator's
 * key), or 304 when it has it already. A package is read from the database once per node and kept
 * (the newest few), so a fleet pulling at once costs one read; a download cut off continues with
 * {@code Range: bytes=N-} (and {@code If-Range} with the ETag): 206 with the rest.
 */
@Path("api/v1/definitions")
public final class DefinitionsResource {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsResource.class);
    static final String SIGNATURE_HEADER = "Omamori-Signature";
    static final String VERSION_HEADER = "Omamori-Definitions-Version";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,12})-(\\d{0,12})");
    /** Packages kept in memory per node: the newest of each kind, and one more each for a rollout under way. */
    private static final int KEPT = 6;

    private final Supplier<Optional<Ingest>> ingest;
    private final Supplier<Optional<DefinitionPackages>> packages;
    private final Map<String, byte[]> kept = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > KEPT;
        }
    };

    DefinitionsResource(Supplier<Optional<Ingest>> ingest, Supplier<Optional<DefinitionPackages>> packages) {
        this.ingest = ingest;
        this.packages = packages;
    }

    @GET
    @Path("{kind}/latest")
    public Response latest(@PathParam("kind") String kind, @QueryParam("since") String since, @Context HttpHeaders headers) {
        Ingest in = ingest.get().orElseThrow(() -> ApiError.unavailable("the cloud's store is not available; try again later").refused());
        ApplianceId appliance = in.authenticate(Optional.ofNullable(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
        DefinitionPackages store = packages.get().orElseThrow(() -> ApiError.unavailable("no definitions are served here; try again later").refused());
        if (!DefinitionPackages.KINDS.contains(kind)) {
            throw ApiError.of(404, "not-found", "no such kind of definitions: one of " + DefinitionPackages.KINDS).refused();
        }
        if (since != null && !DefinitionPackages.VERSION.matcher(since).matches()) {
            throw ApiError.of(400, ApiError.INVALID_REQUEST, "since is a version like 2026.12.5.1").refused();
        }
        DefinitionPackages.Package latest = store.latestFor(kind, appliance.value())
                .orElseThrow(() -> ApiError.of(404, "not-found", "no " + kind + " definitions are published yet").refused());
        String etag = "\"" + kind + "-" + latest.version() + "\"";
        boolean has = etag.equals(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH))
                || (since != null && DefinitionPackages.sortKey(since).compareTo(DefinitionPackages.sortKey(latest.version())) >= 0);
        if (has) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        byte[] zip = bytes(store, latest);
        Response.ResponseBuilder r;
        String range = headers.getHeaderString("Range");
        String ifRange = headers.getHeaderString("If-Range");
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches() && (ifRange == null || ifRange.equals(etag))) {
            long from = Long.parseLong(m.group(1));
            long to = m.group(2).isEmpty() ? zip.length - 1 : Math.min(Long.parseLong(m.group(2)), zip.length - 1);
            if (from >= zip.length || to < from) {
                return Response.status(416).header("Content-Range", "bytes */" + zip.length).header(HttpHeaders.ETAG, etag).build();
            }
            byte[] part = java.util.Arrays.copyOfRange(zip, (int) from, (int) to + 1);
            r = Response.status(206).entity(part).header("Content-Range", "bytes " + from + "-" + to + "/" + zip.length)
                    .header(HttpHeaders.CONTENT_LENGTH, part.length);
        } else {
            r = Response.ok(zip).header(HttpHeaders.CONTENT_LENGTH, zip.length);
            LOG.debug("appliance {}: {} {} sent", appliance, kind, latest.version());
        }
        return r.type("application/zip").header(HttpHeaders.ETAG, etag).header(SIGNATURE_HEADER, latest.signature())
                .header(VERSION_HEADER, latest.version()).header("Accept-Ranges", "bytes").build();
    }

    /** The package's bytes, read once per node and kept while it is among the newest served. */
    private byte[] bytes(DefinitionPackages store, DefinitionPackages.Package p) {
        String key = p.kind() + "/" + p.version() + "/" + p.sha256();
        synchronized (kept) {
            byte[] b = kept.get(key);
            if (b != null) {
                return b;
            }
        }
        byte[] read = store.content(p.kind(), p.version()).orElseThrow(() -> ApiError.of(404, "not-found", "the package is gone").refused());
        synchronized (kept) {
            kept.put(key, read);
        }
        return read;
    }
}
