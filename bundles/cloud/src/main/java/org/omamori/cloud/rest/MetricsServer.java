package org.omamori.cloud.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.omamori.metrics.Meters;

/**
 * The cloud node's scrape endpoint: plain HTTP on a port of its own (loopback by default), GET
 * /metrics in the Prometheus text format. Apart from the HTTPS API so a scraper needs neither the
 * appliances' certificate nor a way past the API's limits, and so the API port never shows it.
 */
public final class MetricsServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private MetricsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Listens on {@code host}:{@code port} (0 picks a free port). */
    public static MetricsServer start(String host, int port, Meters meters) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("cloud-metrics");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host.isEmpty() ? null : host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (!path.equals("/metrics")) {
                    answer(response, callback, 404, "text/plain; charset=utf-8", "no such endpoint: " + path + "; GET /metrics\n");
                } else if (!request.getMethod().equals("GET")) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET");
                    answer(response, callback, 405, "text/plain; charset=utf-8", request.getMethod() + " is not allowed; GET /metrics\n");
                } else {
                    answer(response, callback, 200, Meters.CONTENT_TYPE, meters.scrape());
                }
                return true;
            }
        });
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new MetricsServer(server, connector);
    }

    private static void answer(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the cloud's metrics server did not stop: " + e, e);
        }
    }
}
