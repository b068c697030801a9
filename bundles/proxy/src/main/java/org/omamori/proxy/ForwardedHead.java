package org.omamori.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.omamori.api.engine.Header;

/**
 * The heads the proxy sends on, built from what it parsed, never copied as received: one
 * canonical {@code Content-Length} (the value the proxy framed the body by), the transfer codings
 * as one list, hop-by-hop fields and those that {@code Connection} names dropped, {@code Via}
 * added. The next hop therefore frames every message exactly as the proxy did.
 */
final class ForwardedHead {

    /** Fields that belong to one connection and are never forwarded (RFC 9110 §7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive", "te",
            "upgrade", "proxy-authorization", "proxy-authenticate", "expect");

    private ForwardedHead() {
    }

    /** The request head for the origin: origin-form target, the target's authority as Host. */
    static byte[] request(Head request, Target target) {
        StringBuilder head = new StringBuilder(512);
        head.append(request.method()).append(' ').append(target.path()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(target.authority()).append("\r\n");
        fields(head, request, Set.of("host"));
        head.append("Via: 1.1 omamori\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The response head for the client, with the proxy's own connection handling. */
    static byte[] response(Head response, boolean close, boolean keepAlive10) {
        StringBuilder head = new StringBuilder(512);
        head.append("HTTP/1.1 ").append(response.second()).append(' ').append(response.third()).append("\r\n");
        fields(head, response, Set.of());
        if (close) {
            head.append("Connection: close\r\n");
        } else if (keepAlive10) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("Via: 1.1 omamori\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The fields to forward; the message's framing was checked by {@link Framing} before it got here. */
    private static void fields(StringBuilder head, Head message, Set<String> skip) {
        List<String> named = message.tokens("Connection");
        for (Header h : message.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (skip.contains(name) || HOP_BY_HOP.contains(name) || named.contains(name)
                    || name.equals("content-length") || name.equals("transfer-encoding")) {
                continue;
            }
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        long length;
        try {
            length = Framing.contentLength(message, 400);
        } catch (HttpProtocolException e) {
            throw new IllegalStateException("a message with a malformed Content-Length reached forwarding", e);
        }
        if (length >= 0) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        List<String> codings = message.tokens("Transfer-Encoding");
        if (!codings.isEmpty()) {
            head.append("Transfer-Encoding: ").append(String.join(", ", codings)).append("\r\n");
        }
    }
}
