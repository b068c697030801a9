package org.omamori.cloud.rest;

import java.io.UncheckedIOException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import org.eclipse.jetty.http.HttpException;
import org.omamori.cloud.ingest.ApiError;
import org.omamori.cloud.ingest.RefusedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error answer is an {@code Error} body (docs/api/uplink.yaml). */
final class ErrorMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);
    /** Seconds an appliance should wait after a 503. */
    static final int RETRY_AFTER = 10;
    /** What a client that asked for something else is told. */
    static final String PATHS = "this API has POST /api/v1/activate, /api/v1/events, /api/v1/heartbeat and GET /health";

    private ErrorMappers() {
    }

    /**
     * An error answer closes the connection: most refusals (401, 403, 413, 503) come before the
     * body is read, and Jetty then closes a connection whose body is unread without saying so in
     * the answer, so a client that pooled it would send its next request into a closed socket.
     */
    static Response answer(ApiError error) {
        return answer(error, RETRY_AFTER);
    }

    /** {@code retryAfter}: the seconds of the Retry-After header of a 429 or 503. */
    static Response answer(ApiError error, long retryAfter) {
        Response.ResponseBuilder r = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error.toJson())
                .header("Connection", "close");
        if (error.status() == 401) {
            r.header("WWW-Authenticate", "Bearer realm=\"omamori\"");
        }
        if (error.status() == 503 || error.status() == 429) {
            r.header("Retry-After", retryAfter);
        }
        return r.build();
    }

    static final class Refused implements ExceptionMapper<RefusedRequest> {
        @Override
        public Response toResponse(RefusedRequest e) {
            ApiError error = e.error();
            if (error.status() == 401 || error.status() == 403) {
                LOG.info("refused {}: {}", error.status(), error.error());
            } else {
                LOG.debug("refused: {}", error.message());
            }
            return answer(error);
        }
    }

    /** JAX-RS's own refusals: no such path (404), method (405), media type (406/415); the same codes as Jetty's. */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                return Unexpected.unavailable(e);
            }
            return answer(JsonErrorHandler.forStatus(status));
        }
    }

    /**
     * A request body that broke while it was read: when Jetty says the client's framing is bad (a
     * bad chunk, an early end), the client's fault in the API's form (400 {@code malformed-request}),
     * logged at debug so a client cannot flood the log; anything else is {@link Unexpected}.
     */
    static final class BrokenBody implements ExceptionMapper<UncheckedIOException> {
        @Override
        public Response toResponse(UncheckedIOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                    LOG.debug("request body refused by the HTTP server: {}", http.getCode());
                    return answer(JsonErrorHandler.forStatus(http.getCode()));
                }
            }
            return Unexpected.unavailable(e);
        }
    }

    /** Anything else (the store failing, a bug): 503 with Retry-After, so appliances keep their events and retry. */
    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            return unavailable(e);
        }

        static Response unavailable(Throwable e) {
            LOG.error("request failed: {}", e.toString(), e);
            return answer(ApiError.unavailable("the cloud could not process the request; try again later"));
        }
    }
}
