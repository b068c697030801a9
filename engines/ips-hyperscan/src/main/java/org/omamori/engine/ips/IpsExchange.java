package org.omamori.engine.ips;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Rule;

/**
 * The exchange as an {@link IpsInspection} shows it to rules outside the streams: the request's
 * facts, its header buffers as bytes (made at first use and kept), the response's headers and the
 * TLS handshake once they come, and its addresses and ports against a rule's header. A superclass
 * rather than a field, so the hot path reads these without another object or indirection.
 */
abstract class IpsExchange {

    private static final int BUFFERS = Buffer.values().length;
    final InspectionRequest request;
    /** The request's header buffers as bytes, made at their first use: most requests need none. */
    private byte[][] headerBytes;
    /** The connection's addresses as bytes, for the rules' address headers; made at the first check. */
    private byte[] clientAddress;
    private byte[] serverAddress;
    /** The response's headers once they came (status line as the {@code :status-line} pseudo-header, see the README). */
    List<Header> responseHeaders;
    /** The server's side of a TLS connection being read for its certificate, and what it gave. */
    TlsSides tls;

    IpsExchange(InspectionRequest request) {
        this.request = request;
    }

    final InspectionRequest request() {
        return request;
    }

    /** Protocol, flow state and the address/port header of the rule against this exchange. */
    final boolean headerMatches(CompiledRule compiledRule, Side side) {
        Rule rule = compiledRule.rule;
        Protocol p = request.protocol();
        boolean protocolFits = switch (rule.protocol()) {
            case HTTP -> p == Protocol.HTTP;
            case TLS -> p == Protocol.TLS;
            case DNS -> p == Protocol.DNS;
            case TCP -> p == Protocol.HTTP || p == Protocol.TLS || p == Protocol.OTHER;
            case UDP -> p == Protocol.DNS;
            case IP -> true;
        };
        if (!protocolFits) {
            return false;
        }
        if (rule.flow().established() && !(p == Protocol.HTTP || p == Protocol.TLS)) {
            return false;
        }
        Connection c = request.connection();
        boolean toServer = side == Side.REQUEST;
        if (clientAddress == null) {
            clientAddress = c.source().getAddress(); // a copy per call: once per inspection
            serverAddress = c.destination().getAddress();
        }
        byte[] src = toServer ? clientAddress : serverAddress;
        byte[] dst = toServer ? serverAddress : clientAddress;
        int sp = toServer ? c.sourcePort() : c.destinationPort();
        int dp = toServer ? c.destinationPort() : c.sourcePort();
        return endpoints(rule, src, sp, dst, dp) || rule.bidirectional() && endpoints(rule, dst, dp, src, sp);
    }

    private static boolean endpoints(Rule rule, byte[] src, int sp, byte[] dst, int dp) {
        // Port 0 means the intake does not know the port: it cannot rule the rule out.
        return rule.source().matches(src) && rule.destination().matches(dst)
                && (sp == 0 || rule.sourcePorts().matches(sp)) && (dp == 0 || rule.destinationPorts().matches(dp));
    }

    final ByteView headerView(Buffer buffer) {
        byte[] bytes = headerBytes(buffer);
        return bytes == null ? ByteView.EMPTY : ByteView.of(bytes);
    }

    // ---- the buffers of the request ----------------------------------------------------------

    final byte[] headerBytes(Buffer buffer) {
        if (headerBytes == null) {
            headerBytes = new byte[BUFFERS][];
        }
        if (buffer.tlsCertificate() || buffer.tlsClientHello() ? tls == null || !tls.known(buffer)
                : buffer.responseHead() && responseHeaders == null) {
            return new byte[0]; // not known yet: not cached
        }
        byte[] cached = headerBytes[buffer.ordinal()];
        if (cached == null) {
            String text = headerText(buffer);
            // a certificate's names are UTF-8 strings (as Suricata hands them to rules); header fields are bytes as Latin-1
            cached = buffer.tlsCertificate() ? text.getBytes(StandardCharsets.UTF_8) : CompiledRules.latin1(text);
            if (buffer == Buffer.HTTP_URI) {
                cached = HttpBuffers.percentDecoded(cached);
            }
            headerBytes[buffer.ordinal()] = cached;
        }
        return cached;
    }

    private String headerText(Buffer buffer) {
        if (buffer.tlsCertificate() || buffer.tlsClientHello()) {
            return tls == null ? "" : tls.text(buffer);
        }
        return HttpBuffers.text(buffer, request, responseHeaders);
    }

    /** The request's head as it came on the wire (request line, header lines, blank line), for rules on raw bytes. */
    final byte[] rawRequestHead() {
        String head = HttpBuffers.requestLine(request) + "\r\n" + HttpBuffers.lines(request.headers()) + "\r\n";
        return CompiledRules.latin1(head);
    }
}
