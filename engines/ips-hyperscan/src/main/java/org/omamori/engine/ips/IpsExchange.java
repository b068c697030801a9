package org.omamori.engine.ips;

import java.nio.ByteBuffer;
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
    private static final byte[] NONE = {};
    private static final byte[] DOT = {'.'};
    private static final byte[] CRLF = {'\r', '\n'};
    /** The exchange's header buffers as views of their bytes, made at their first use: most requests need few. */
    private ByteView[] headerViews;
    /** The connection's addresses as bytes, for the rules' address headers; made at the first check. */
    private byte[] clientAddress;
    private byte[] serverAddress;
    /** The response's headers once they came (status line as the {@code :status-line} pseudo-header, see the README). */
    List<Header> responseHeaders;
    /** The server's side of a TLS connection being read for its certificate, and what it gave. */
    TlsSides tls;
    /** The response's head as sent, when the intake passed it with the headers (engine API 1.5); read at first use. */
    ByteBuffer responseHeadSent;
    /** The request's head as sent (the intake's bytes, a view taken at first use; null until then). */
    private ByteBuffer requestHead;

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

    /**
     * A header buffer's bytes as a view, made at its first use and kept (the same object for every
     * scan and confirmation of the exchange); {@link ByteView#EMPTY} when the exchange has none.
     */
    final ByteView headerView(Buffer buffer) {
        if (buffer.tlsCertificate() || buffer.tlsClientHello() ? tls == null || !tls.known(buffer)
                : buffer.responseHead() && responseHeaders == null) {
            return ByteView.EMPTY; // not known yet: not cached
        }
        if (headerViews == null) {
            headerViews = new ByteView[BUFFERS];
        }
        ByteView cached = headerViews[buffer.ordinal()];
        if (cached == null) {
            byte[] bytes = bytesOf(buffer);
            cached = bytes.length == 0 ? ByteView.EMPTY : ByteView.of(bytes);
            headerViews[buffer.ordinal()] = cached;
        }
        return cached;
    }

    // ---- the buffers of the request ----------------------------------------------------------

    /** A header buffer's bytes: empty when the exchange has none or it is not known yet. Not to be changed. */
    final byte[] headerBytes(Buffer buffer) {
        return headerView(buffer).data().array();
    }

    /**
     * The buffers that are others with a few bytes added are made from those others' bytes (each
     * request-line and header-line text is made once): the same bytes as {@link HttpBuffers#text}.
     */
    private byte[] bytesOf(Buffer buffer) {
        if (request.protocol() == Protocol.HTTP) {
            switch (buffer) {
                case HTTP_URI -> {
                    return HttpBuffers.percentDecoded(headerBytes(Buffer.HTTP_URI_RAW));
                }
                case HTTP_HOST_DOTPREFIX -> {
                    return joined(DOT, headerBytes(Buffer.HTTP_HOST), NONE);
                }
                case HTTP_REQUEST_LINE -> {
                    if (requestHead().hasRemaining()) {
                        return HttpBuffers.firstLine(requestHead()); // as sent: an absolute-form target, the version
                    }
                }
                case HTTP_PROTOCOL -> {
                    if (request.httpVersion().isEmpty() && requestHead().hasRemaining()) {
                        return HttpBuffers.protocolOf(headerBytes(Buffer.HTTP_REQUEST_LINE));
                    }
                }
                case HTTP_RAW_HEADER -> {
                    return requestHead().hasRemaining() ? HttpBuffers.afterFirstLine(requestHead())
                            : joined(NONE, headerBytes(Buffer.HTTP_HEADER), CRLF);
                }
                case HTTP_START -> {
                    // Suricata's: the line as sent, then the normalised fields (http.header's bytes) and the empty line
                    byte[] fields = headerBytes(Buffer.HTTP_HEADER);
                    return fields.length == 0 ? joined(headerBytes(Buffer.HTTP_REQUEST_LINE), CRLF, NONE)
                            : requestHead().hasRemaining() ? joined(headerBytes(Buffer.HTTP_REQUEST_LINE), CRLF, fields, CRLF)
                            : joined(headerBytes(Buffer.HTTP_REQUEST_LINE), CRLF, headerBytes(Buffer.HTTP_RAW_HEADER));
                }
                case HTTP_RESPONSE_RAW_HEADER -> {
                    return responseHeadSent != null ? HttpBuffers.afterFirstLine(responseHeadSent)
                            : responseHeaders.isEmpty() ? NONE : joined(NONE, headerBytes(Buffer.HTTP_RESPONSE_HEADER), CRLF);
                }
                case HTTP_RESPONSE_START -> {
                    byte[] status = headerBytes(Buffer.HTTP_RESPONSE_LINE);
                    byte[] fields = status.length == 0 ? NONE : headerBytes(Buffer.HTTP_RESPONSE_HEADER);
                    return status.length == 0 ? NONE : fields.length == 0 ? joined(status, CRLF, NONE) : joined(status, CRLF, fields, CRLF);
                }
                default -> {
                }
            }
        }
        String text = headerText(buffer);
        if (text.isEmpty()) {
            return NONE;
        }
        // a certificate's names are UTF-8 strings (as Suricata hands them to rules); header fields are bytes as Latin-1
        return buffer.tlsCertificate() ? text.getBytes(StandardCharsets.UTF_8) : CompiledRules.latin1(text);
    }

    private static byte[] joined(byte[] a, byte[] b, byte[] c, byte[] d) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length + c.length + d.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        System.arraycopy(d, 0, out, a.length + b.length + c.length, d.length);
        return out;
    }

    private static byte[] joined(byte[] a, byte[] b, byte[] c) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    private String headerText(Buffer buffer) {
        if (buffer.tlsCertificate() || buffer.tlsClientHello()) {
            return tls == null ? "" : tls.text(buffer);
        }
        return HttpBuffers.text(buffer, request, responseHeaders);
    }

    /**
     * The request's head as it came on the wire (request line, header lines, blank line), for rules
     * on raw bytes: the bytes as sent when the intake passed them, else {@code http.start}'s.
     */
    final ByteView rawRequestHead() {
        // the intake's view itself: the stream copies what it keeps into its window, so no copy here
        ByteBuffer sent = requestHead();
        return sent.hasRemaining() ? new ByteView(sent, 0, sent.remaining(), 0) : headerView(Buffer.HTTP_START);
    }

    /**
     * The request's head as sent (engine API 1.5; empty when the intake passed none): the intake's
     * bytes, valid until the inspection closes, read with absolute gets only. The buffers cut from
     * it are copies of their part, so nothing copies the whole head.
     */
    private ByteBuffer requestHead() {
        if (requestHead == null) {
            requestHead = request.head();
        }
        return requestHead;
    }
}
