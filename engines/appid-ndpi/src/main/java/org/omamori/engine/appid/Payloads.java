package org.omamori.engine.appid;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;

/**
 * The first payload a client would have sent, made again from what the intake knows: an HTTP
 * request head, a TLS ClientHello naming the server, a DNS query. Bounded, whatever the input:
 * text is cut and stripped of control characters, names of labels too long are cut.
 */
final class Payloads {

    /** The most bytes of payload per direction given to nDPI (its dissectors look at the start). */
    static final int MAX_PAYLOAD = 4096;
    private static final int MAX_NAME = 253;

    private Payloads() {
    }

    /** {@code METHOD /path HTTP/1.1}, Host and the request's headers, at most {@value #MAX_PAYLOAD} bytes. */
    static byte[] httpHead(InspectionRequest request) {
        StringBuilder head = new StringBuilder(256);
        String method = request.method().isEmpty() ? "GET" : request.method();
        head.append(clean(method, 16)).append(' ').append(clean(pathOf(request.url()), 2048)).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (Header h : request.headers()) {
            if (h.pseudo()) {
                continue;
            }
            host |= h.is("host");
            head.append(clean(h.name(), 64)).append(": ").append(clean(h.value(), 1024)).append("\r\n");
            if (head.length() > MAX_PAYLOAD) {
                break;
            }
        }
        if (!host && !request.host().isEmpty()) {
            head.append("Host: ").append(clean(request.host(), MAX_NAME)).append("\r\n");
        }
        head.append("\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.UTF_8);
        return bytes.length > MAX_PAYLOAD ? Arrays.copyOf(bytes, MAX_PAYLOAD) : bytes;
    }

    /** A TLS 1.2/1.3 ClientHello whose only distinctive content is the server name. */
    static byte[] clientHello(String serverName) {
        byte[] name = hostBytes(serverName);
        int sniExt = 2 + 2 + 2 + 1 + 2 + name.length;          // type, length, list length, name type, name length, name
        int versionsExt = 2 + 2 + 1 + 4;                        // supported_versions: TLS 1.3, 1.2
        int extensions = (name.length > 0 ? sniExt : 0) + versionsExt;
        int body = 2 + 32 + 1 + 2 + 6 + 2 + 2 + extensions;    // version, random, session id, suites, compression, extensions
        Bytes b = new Bytes(5 + 4 + body);
        b.u8(0x16).u16(0x0301).u16(4 + body);                   // record: handshake
        b.u8(0x01).u24(body);                                   // ClientHello
        b.u16(0x0303);
        for (int i = 0; i < 32; i++) {
            b.u8(i * 7 + 1);                                    // a fixed random: nDPI does not judge it
        }
        b.u8(0);                                                // no session id
        b.u16(6).u16(0x1301).u16(0x1302).u16(0xc02f);
        b.u8(1).u8(0);                                          // null compression
        b.u16(extensions);
        if (name.length > 0) {
            b.u16(0x0000).u16(sniExt - 4).u16(sniExt - 6).u8(0).u16(name.length).bytes(name);
        }
        b.u16(0x002b).u16(5).u8(4).u16(0x0304).u16(0x0303);
        return b.done();
    }

    /** A recursive DNS query for the name's A record. */
    static byte[] dnsQuery(String name) {
        byte[] host = hostBytes(name);
        Bytes b = new Bytes(12 + host.length + 2 + 4);
        b.u16(0x4f4d).u16(0x0100).u16(1).u16(0).u16(0).u16(0);  // id, RD, one question
        int start = 0;
        for (int i = 0; i <= host.length; i++) {
            if (i == host.length || host[i] == '.') {
                int len = Math.min(i - start, 63);
                if (len > 0) {
                    b.u8(len).bytes(Arrays.copyOfRange(host, start, start + len));
                }
                start = i + 1;
            }
        }
        b.u8(0).u16(1).u16(1);                                  // root, type A, class IN
        return b.done();
    }

    /** The path and query of a URL ({@code /} when there is none). */
    static String pathOf(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url.startsWith("/") ? url : "/";
        }
        int slash = url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }

    /** A host name as nDPI matches it: lower case, without a trailing dot, printable ASCII, at most 253 bytes. */
    static byte[] hostBytes(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return clean(n, MAX_NAME).replace(' ', '-').getBytes(StandardCharsets.US_ASCII);
    }

    /** At most {@code max} characters, control and non-ASCII characters as spaces or '?'. */
    static String clean(String text, int max) {
        int n = Math.min(text.length(), max);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c > 0x7e ? '?' : c);
        }
        return b.toString();
    }

    /** A big-endian writer into an array of known size. */
    private static final class Bytes {
        private final byte[] a;
        private int at;

        Bytes(int size) {
            a = new byte[size];
        }

        Bytes u8(int v) {
            a[at++] = (byte) v;
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Bytes u24(int v) {
            return u8(v >>> 16).u16(v);
        }

        Bytes bytes(byte[] b) {
            System.arraycopy(b, 0, a, at, b.length);
            at += b.length;
            return this;
        }

        byte[] done() {
            return at == a.length ? a : Arrays.copyOf(a, at);
        }
    }
}
