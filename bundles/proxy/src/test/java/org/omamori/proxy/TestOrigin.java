package org.omamori.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP origin on loopback (the JDK's server) that serves pages and files and records what reached it. */
final class TestOrigin implements AutoCloseable {

    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] PAGE = ("<html><body>" + "こんにちは、Omamori。".repeat(400) + "</body></html>").getBytes(StandardCharsets.UTF_8);

    final HttpServer server;
    /** Request lines and body sizes that reached the origin. */
    final List<String> received = new CopyOnWriteArrayList<>();
    /** Bodies of uploads that reached the origin. */
    final List<byte[]> uploads = new CopyOnWriteArrayList<>();
    volatile byte[] download = new byte[0];

    TestOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(RealEngines.ORIGIN_ADDRESS), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://" + RealEngines.ORIGIN_ADDRESS + ":" + port() + path;
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        received.add(x.getRequestMethod() + " " + x.getRequestURI() + " " + body.length);
        if (body.length > 0) {
            uploads.add(body);
        }
        String path = x.getRequestURI().getPath();
        byte[] answer = switch (path) {
            case "/eicar.com", "/download" -> path.equals("/eicar.com") ? EICAR : download;
            default -> PAGE;
        };
        x.getResponseHeaders().add("Content-Type", path.equals("/") || path.startsWith("/page") ? "text/html; charset=utf-8" : "application/octet-stream");
        if (path.equals("/eicar.com")) {
            x.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"eicar.com\"");
        }
        boolean chunked = x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("chunked");
        if (x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("gzip")) {
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
                gz.write(answer);
            }
            answer = zipped.toByteArray();
            x.getResponseHeaders().add("Content-Encoding", "gzip");
        }
        x.sendResponseHeaders(200, chunked ? 0 : answer.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
