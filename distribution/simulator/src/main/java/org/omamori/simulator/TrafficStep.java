package org.omamori.simulator;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.omamori.api.engine.Header;

/**
 * One HTTP exchange of a customer host with a server on the internet, as an intake would see it:
 * the request (method, URL, headers, body) and what the server answers (headers, body). Bodies
 * are given to the engines in chunks, the response only if nothing stopped the request.
 *
 * @param name            a short label for logs, e.g. {@code "c2-beacon"}
 * @param kind            what the step stands for in the profile
 * @param method          HTTP method
 * @param url             absolute {@code http://} URL; the host is taken from it
 * @param server          the server's address (documentation ranges, never contacted)
 * @param port            the server's port
 * @param requestHeaders  request headers (Host is added from the URL)
 * @param requestBody     request body, empty for none
 * @param responseHeaders response headers
 * @param responseBody    response body as sent
 */
public record TrafficStep(String name, Kind kind, String method, String url, InetAddress server, int port,
                          List<Header> requestHeaders, byte[] requestBody, List<Header> responseHeaders, byte[] responseBody) {

    /** What a step stands for. */
    public enum Kind {
        /** An ordinary page: passes; an access-log event when the site is in a log-only category. */
        BROWSING,
        /** Malware on the host calls its command-and-control server: ★★★. */
        C2_BEACON,
        /** The EICAR test file downloaded (zipped, as eicar_com.zip): neutralised by the antivirus, ★☆☆. */
        EICAR_DOWNLOAD,
        /** A visit to a listed phishing site: blocked, ★☆☆. */
        PHISHING
    }

    /** The EICAR anti-virus test string (harmless, recognised by every antivirus as a test virus). */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    /** Bodies reach the engines in chunks of at most this many bytes. */
    public static final int CHUNK_BYTES = 1024;

    public TrafficStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(requestBody, "requestBody");
        Objects.requireNonNull(responseBody, "responseBody");
        if (!url.startsWith("http://")) {
            throw new IllegalArgumentException("a step's URL must be http://...: " + url);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        requestHeaders = List.copyOf(requestHeaders);
        responseHeaders = List.copyOf(responseHeaders);
        requestBody = requestBody.clone();
        responseBody = responseBody.clone();
    }

    @Override
    public byte[] requestBody() {
        return requestBody.clone();
    }

    @Override
    public byte[] responseBody() {
        return responseBody.clone();
    }

    static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    /** A GET of a page by a browser, answered 200 with a small HTML page. */
    public static TrafficStep page(String name, String url, String server) {
        String html = "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" + name + "</title></head>"
                + "<body><h1>" + name + "</h1><p>本日のお知らせ: nothing unusual here.</p></body></html>\n";
        return new TrafficStep(name, Kind.BROWSING, "GET", url, address(server), 80,
                List.of(new Header("User-Agent", BROWSER), new Header("Accept", "text/html,*/*;q=0.8"),
                        new Header("Accept-Language", "ja,en;q=0.7")),
                new byte[0], html(html), utf8(html));
    }

    /** Malware's check-in: POST to {@code /c2/beacon} (IPS sid:9000012) at a host of the c2 category. */
    public static TrafficStep c2Beacon(String url, String server) {
        String body = "{\"id\":\"4f2a9c\",\"os\":\"win10\",\"seq\":1}";
        return new TrafficStep("c2-beacon", Kind.C2_BEACON, "POST", url, address(server), 80,
                List.of(new Header("User-Agent", "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1)"),
                        new Header("Content-Type", "application/json"),
                        new Header("Content-Length", Integer.toString(bytes(body)))),
                utf8(body), List.of(new Header("Content-Type", "application/json")), utf8("{\"task\":\"sleep\",\"seconds\":60}"));
    }

    /**
     * A download of the EICAR test file zipped ({@code eicar_com.zip}, as eicar.org offers it):
     * clamd finds it inside the zip (Omamori.Test.EICAR-1) and the antivirus neutralises it. The
     * IPS does not unpack zips, so its EICAR rules (sid:9000018/9000019, which block a plain
     * {@code eicar.com} in the first body chunk before the antivirus has its answer) stay quiet:
     * the antivirus is what stops this one, and without clamd it passes unseen.
     */
    public static TrafficStep eicarDownload(String url, String server) {
        byte[] zip = eicarZip();
        return new TrafficStep("eicar-download", Kind.EICAR_DOWNLOAD, "GET", url, address(server), 80,
                List.of(new Header("User-Agent", BROWSER), new Header("Accept", "*/*")), new byte[0],
                List.of(new Header("Content-Type", "application/zip"),
                        new Header("Content-Disposition", "attachment; filename=\"eicar_com.zip\""),
                        new Header("Content-Length", Integer.toString(zip.length))),
                zip);
    }

    /** The EICAR string as {@code eicar.com} in a zip (deflated), made the same way every time. */
    static byte[] eicarZip() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("eicar.com");
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(EICAR.getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A visit to a phishing page (URL filter category phishing). */
    public static TrafficStep phishing(String url, String server) {
        String html = "<html><body><form action=\"/signin\">ID <input name=\"id\"> PASS <input name=\"pw\" type=\"password\"></form></body></html>";
        TrafficStep page = page("phishing", url, server);
        return new TrafficStep("phishing-visit", Kind.PHISHING, page.method, url, page.server, 80, page.requestHeaders, new byte[0],
                html(html), utf8(html));
    }

    /** The Host header and the step's own request headers. */
    List<Header> headersWithHost() {
        String rest = url.substring("http://".length());
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        List<Header> all = new java.util.ArrayList<>(requestHeaders.size() + 1);
        all.add(new Header("Host", host));
        all.addAll(requestHeaders);
        return all;
    }

    private static List<Header> html(String body) {
        return List.of(new Header("Content-Type", "text/html; charset=utf-8"), new Header("Content-Length", Integer.toString(bytes(body))));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static InetAddress address(String literal) {
        return org.omamori.events.IpLiteral.parse(literal);
    }

    @Override
    public String toString() {
        return name + " " + method + " " + url;
    }
}
