package org.omamori.cloud.rest;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.omamori.cloud.ingest.ApiError;

/**
 * The errors Jetty answers itself, before or around Jersey (a bad request line, URI or header,
 * a header section over the limit, an ambiguous path...), in the API's {@code Error} form of
 * docs/api/uplink.yaml instead of Jetty's HTML page, with {@code Connection: close}. Nothing of
 * the request is echoed: Jetty's reason may quote it.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
        }
        ApiError error = forStatus(status);
        response.setStatus(error.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (error.status() == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(ErrorMappers.RETRY_AFTER));
        }
        if ("HEAD".equals(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(error.toJson()), callback);
        }
        return true;
    }

    /** The API's error for an HTTP status Jetty chose; a server error is the API's 503, which appliances retry. */
    static ApiError forStatus(int status) {
        String reason = status + " " + HttpStatus.getMessage(status);
        return switch (status) {
            case 400 -> ApiError.of(400, ApiError.MALFORMED_REQUEST, "HTTP " + reason
                    + ": the request line, a header or the URI is not valid HTTP/1.1; send the request as RFC 9112 says");
            case 413, 414, 431 -> ApiError.of(status, ApiError.TOO_LARGE, "HTTP " + reason
                    + ": the request (its URI or its header section) is larger than the cloud accepts");
            default -> status >= 400 && status < 500
                    ? ApiError.of(status, ApiError.INVALID_REQUEST, "HTTP " + reason + ": " + ErrorMappers.PATHS)
                    : ApiError.unavailable("HTTP " + reason + ": the cloud could not process the request; try again later");
        };
    }
}
