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

    static final int BUFFERS = Buffer.values().length;
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
    /** The response head's buffers as views of one array, made at the first use of one; {@code noResponseBuffers}: they cannot be. */
    private ResponseBuffers responseBuffers;
    private boolean noResponseBuffers;
    /** The request's head as sent (the intake's bytes, a view taken at first use; null until then). */
    private ByteBuffer requestHead;
    /** {@link #start()}'s view once made; {@code noStart}: it cannot be made (see there). */
    private ByteView start;
    private boolean noStart;

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
     * Several request buffers are views of one array ({@link #start()}), or of the head as sent.
     */
    final ByteView headerView(Buffer buffer) {
        if (buffer.tlsCertificate() || buffer.tlsClientHello() ? tls == null || !tls.known(buffer)
                : buffer.responseHead() && responseHeaders == null) {
            return ByteView.EMPTY; // not known yet: not cached
        }
        if (headerViews == null) {
            headerViews = viewArray();
        }
        ByteView cached = headerViews[buffer.ordinal()];
        if (cached == null && start == null && !noStart && request.protocol() == Protocol.HTTP && !buffer.responseHead()
                && !buffer.tlsCertificate() && !buffer.tlsClientHello()) {
            start(); // makes the request's buffers that are stretches of one array in one pass
            cached = headerViews[buffer.ordinal()];
        }
        if (cached == null) {
            cached = viewOf(buffer);
            headerViews[buffer.ordinal()] = cached;
        }
        return cached;
    }

    /**
     * What a pooled request state lends this exchange (the views' array, the views of the request's
     * head buffers, {@code http.start}'s array), or null: then the exchange makes its own. A subclass's
     * (the inspection's request state, once taken: HTTP takes it before the first view).
     */
    ExchangeLoans loans() {
        return null;
    }

    private ByteView[] viewArray() {
        ExchangeLoans loans = loans();
        return loans != null ? loans.views() : new ByteView[BUFFERS];
    }

    /**
     * The views, their array and {@code http.start}'s array were lent and go back with the request
     * state, to be re-aimed at another exchange's bytes: forgotten here, so that a view asked for
     * later is made again, of this exchange's own.
     */
    final void forgetViews() {
        headerViews = null;
        start = null;
        noStart = false;
    }

    // ---- the buffers of the request ----------------------------------------------------------

    /** A header buffer's bytes: the view's own array when the view is all of it, else a copy. Not to be changed. */
    final byte[] headerBytes(Buffer buffer) {
        ByteView v = headerView(buffer);
        ByteBuffer d = v.data();
        return d.hasArray() && d.arrayOffset() == 0 && v.offset() == 0 && v.length() == d.array().length ? d.array() : v.bytes();
    }

    private static ByteView of(byte[] bytes) {
        return bytes.length == 0 ? ByteView.EMPTY : ByteView.of(bytes);
    }

    /** {@code data[from, to)} as a view of its own (the response's buffers). */
    static ByteView slice(ByteBuffer data, int from, int to) {
        return to <= from ? ByteView.EMPTY : new ByteView(data, from, to - from, 0);
    }

    /**
     * {@code data[from, to)} as the view of the buffer in {@code slot} (its ordinal; {@link #BUFFERS}:
     * the head as sent): the loaned view of that slot when there is a loan, aimed once per exchange.
     */
    private ByteView slice(int slot, ByteBuffer data, int from, int to) {
        ExchangeLoans loans = loans();
        return loans == null || to <= from ? slice(data, from, to) : loans.view(slot, data, from, to);
    }

    /**
     * The buffers that are others with a few bytes added are made from those others' bytes; those
     * that are a stretch of {@code http.start} (request line, method and target when the line is
     * made from the facts, header lines) or of the head as sent ({@code http.request_line},
     * {@code http.header.raw}) are views of it, not copies. The same bytes as {@link HttpBuffers#text}.
     */
    private ByteView viewOf(Buffer buffer) {
        if (request.protocol() == Protocol.HTTP && buffer.responseHead() && !buffer.tlsCertificate() && responseBuffers() != null) {
            return responseBuffers.view(buffer);
        }
        if (request.protocol() == Protocol.HTTP) {
            switch (buffer) {
                case HTTP_URI -> {
                    ByteView raw = headerView(Buffer.HTTP_URI_RAW);
                    return hasPercent(raw) ? of(HttpBuffers.percentDecoded(raw.bytes())) : raw; // no escape: the same bytes
                }
                case HTTP_HOST_DOTPREFIX -> {
                    return of(joined(DOT, headerBytes(Buffer.HTTP_HOST), NONE));
                }
                case HTTP_HOST_RAW -> {
                    String raw = HttpBuffers.rawHost(request, request.headers());
                    if (HttpBuffers.normalizedHost(raw).equals(raw)) {
                        return headerView(Buffer.HTTP_HOST); // nothing to normalise: the same bytes
                    }
                }
                case HTTP_REQUEST_LINE -> {
                    ByteBuffer sent = requestHead();
                    if (sent.hasRemaining()) {
                        return slice(buffer.ordinal(), sent, sent.position(), HttpBuffers.firstLineEnd(sent)); // as sent: an absolute-form target, the version
                    }
                }
                case HTTP_PROTOCOL -> {
                    if (request.httpVersion().isEmpty() && requestHead().hasRemaining()) {
                        return of(HttpBuffers.protocolOf(headerView(Buffer.HTTP_REQUEST_LINE).bytes()));
                    }
                }
                case HTTP_RAW_HEADER -> {
                    ByteBuffer sent = requestHead();
                    if (sent.hasRemaining()) {
                        return slice(buffer.ordinal(), sent, HttpBuffers.afterFirstLine(sent), sent.limit());
                    }
                    return of(joined(NONE, headerBytes(Buffer.HTTP_HEADER), CRLF)); // no http.start array (else it made this view)
                }
                case HTTP_START -> {
                    if (start() != null) {
                        return start;
                    }
                    // Suricata's: the line as sent, then the normalised fields (http.header's bytes) and the empty line
                    byte[] fields = headerBytes(Buffer.HTTP_HEADER);
                    return of(fields.length == 0 ? joined(headerBytes(Buffer.HTTP_REQUEST_LINE), CRLF, NONE)
                            : joined(headerBytes(Buffer.HTTP_REQUEST_LINE), CRLF, fields, CRLF));
                }
                case HTTP_RESPONSE_RAW_HEADER -> {
                    return responseHeadSent != null ? slice(buffer.ordinal(), responseHeadSent, HttpBuffers.afterFirstLine(responseHeadSent), responseHeadSent.limit())
                            : responseHeaders.isEmpty() ? ByteView.EMPTY : of(joined(NONE, headerBytes(Buffer.HTTP_RESPONSE_HEADER), CRLF));
                }
                case HTTP_RESPONSE_START -> {
                    byte[] status = headerBytes(Buffer.HTTP_RESPONSE_LINE);
                    byte[] fields = status.length == 0 ? NONE : headerBytes(Buffer.HTTP_RESPONSE_HEADER);
                    return of(status.length == 0 ? NONE : fields.length == 0 ? joined(status, CRLF, NONE) : joined(status, CRLF, fields, CRLF));
                }
                default -> {
                }
            }
        }
        String text = headerText(buffer);
        if (text.isEmpty()) {
            return ByteView.EMPTY;
        }
        // a certificate's names are UTF-8 strings (as Suricata hands them to rules); header fields are bytes as Latin-1
        return of(buffer.tlsCertificate() ? text.getBytes(StandardCharsets.UTF_8) : CompiledRules.latin1(text));
    }

    private ResponseBuffers responseBuffers() {
        if (responseBuffers == null && !noResponseBuffers) {
            responseBuffers = ResponseBuffers.of(responseHeaders, responseHeadSent);
            noResponseBuffers = responseBuffers == null;
        }
        return responseBuffers;
    }

    private static boolean hasPercent(ByteView v) {
        ByteBuffer data = v.data();
        if (data.hasArray()) { // the request's head array: read directly, not a buffer call per byte
            byte[] a = data.array();
            int from = data.arrayOffset() + v.offset();
            for (int i = from; i < from + v.length(); i++) {
                if (a[i] == '%') {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            if (data.get(v.offset() + i) == '%') {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code http.start}'s bytes in one array, made at the first use of any buffer that is a stretch
     * of them: the request line (as sent, else {@code METHOD target VERSION} from the facts), CRLF,
     * the normalised header lines ({@code http.header}) and, when there are any, the empty line;
     * then, outside {@code http.start}, a dot and the normalised host ({@code http.host} and
     * {@code http.host} with its dot are views of them). Null when a fact holds a character beyond
     * Latin-1 (the buffers are then made one by one, as {@link CompiledRules#latin1} encodes them;
     * a host beyond Latin-1 alone is left out of the array). Every view that is a stretch of it is
     * made here (the method, target and version only when the line was made from the facts), so no
     * one needs to know later where its parts end.
     *
     * <p>Made in one pass with every buffer that is a stretch of the array (method, target, version,
     * request line, header lines, raw header, host), so the request's head scan finds them made.
     */
    private ByteView start() {
        if (start == null && !noStart) {
            ByteBuffer sent = requestHead();
            List<Header> headers = request.headers();
            int fieldsLength = HttpBuffers.linesLength(headers); // written straight into the array below, no text made first
            String method = request.method();
            String url = request.url();
            // the target is a stretch of the URL as a rule: copied from it without a String of its own
            long range = sent.hasRemaining() ? 0 : HttpBuffers.uriRange(url);
            String uri = sent.hasRemaining() ? "" : range < 0 ? HttpBuffers.uri(url) : url;
            int uriFrom = range < 0 ? 0 : (int) (range >>> 32);
            int uriTo = range < 0 ? uri.length() : (int) range;
            String version = sent.hasRemaining() ? "" : HttpBuffers.version(request);
            int lineLength = sent.hasRemaining() ? HttpBuffers.firstLineEnd(sent) - sent.position()
                    : method.length() + 1 + (uriTo - uriFrom) + 1 + version.length();
            if (fieldsLength < 0 || !sent.hasRemaining() && !(HttpBuffers.fitsLatin1(method)
                    && HttpBuffers.fitsLatin1(uri, uriFrom, uriTo) && HttpBuffers.fitsLatin1(version))) {
                noStart = true;
                return null;
            }
            String rawHost = HttpBuffers.rawHost(request, headers);
            String host = HttpBuffers.normalizedHost(rawHost);
            boolean hostFits = HttpBuffers.fitsLatin1(host);
            int startLength = lineLength + 2 + fieldsLength + (fieldsLength == 0 ? 0 : 2);
            int arrayLength = startLength + (hostFits ? 1 + host.length() : 0);
            ExchangeLoans loans = loans();
            ByteBuffer data = loans != null ? loans.start(arrayLength) : null; // the request state's, kept: no array per exchange
            if (data == null) {
                data = ByteBuffer.wrap(new byte[arrayLength]);
            }
            byte[] out = data.array();
            int methodEnd = 0;
            int uriEnd = 0;
            if (sent.hasRemaining()) {
                sent.get(sent.position(), out, 0, lineLength);
            } else {
                int at = HttpBuffers.putLatin1(out, 0, method);
                out[at++] = ' ';
                at = HttpBuffers.putLatin1(out, at, uri, uriFrom, uriTo);
                out[at++] = ' ';
                HttpBuffers.putLatin1(out, at, version);
                methodEnd = method.length();
                uriEnd = methodEnd + 1 + uriTo - uriFrom;
            }
            int lineEnd = lineLength;
            out[lineEnd] = '\r';
            out[lineEnd + 1] = '\n';
            int fieldsEnd = HttpBuffers.putLines(out, lineEnd + 2, headers);
            if (fieldsLength > 0) {
                out[fieldsEnd] = '\r';
                out[fieldsEnd + 1] = '\n';
            }
            if (headerViews == null) {
                headerViews = viewArray();
            }
            start = made(Buffer.HTTP_START, data, 0, startLength);
            made(Buffer.HTTP_HEADER, data, lineEnd + 2, fieldsEnd);
            if (!sent.hasRemaining()) {
                made(Buffer.HTTP_METHOD, data, 0, methodEnd);
                made(Buffer.HTTP_URI_RAW, data, methodEnd + 1, uriEnd);
                made(Buffer.HTTP_PROTOCOL, data, uriEnd + 1, lineEnd); // the version the line was made with
                made(Buffer.HTTP_REQUEST_LINE, data, 0, lineEnd);
                // the header lines and the empty line; with none, the empty line alone (the line's CRLF)
                if (fieldsEnd > lineEnd + 2) {
                    made(Buffer.HTTP_RAW_HEADER, data, lineEnd + 2, startLength);
                } else {
                    made(Buffer.HTTP_RAW_HEADER, data, lineEnd, lineEnd + 2);
                }
            }
            if (hostFits) {
                out[startLength] = '.';
                HttpBuffers.putLatin1(out, startLength + 1, host);
                ByteView hostView = made(Buffer.HTTP_HOST, data, startLength + 1, arrayLength);
                made(Buffer.HTTP_HOST_DOTPREFIX, data, startLength, arrayLength);
                if (host.equals(rawHost) && headerViews[Buffer.HTTP_HOST_RAW.ordinal()] == null) {
                    headerViews[Buffer.HTTP_HOST_RAW.ordinal()] = hostView; // nothing to normalise: the same bytes
                }
            }
        }
        return start;
    }

    /**
     * A buffer's view of {@link #start()}'s array {@code [from, to)}, unless it was made before (a
     * view, once handed out, stays the same object): the buffer's view either way.
     */
    private ByteView made(Buffer buffer, ByteBuffer data, int from, int to) {
        ByteView v = headerViews[buffer.ordinal()];
        if (v == null) {
            v = slice(buffer.ordinal(), data, from, to);
            headerViews[buffer.ordinal()] = v;
        }
        return v;
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
        return sent.hasRemaining() ? slice(BUFFERS, sent, 0, sent.remaining()) : headerView(Buffer.HTTP_START);
    }

    /**
     * The request's head as sent (engine API 1.5; empty when the intake passed none): the intake's
     * bytes, valid until the inspection closes, read with absolute gets only. The buffers cut from
     * it ({@code http.request_line}, {@code http.header.raw}) are views of their part, not copies.
     */
    private ByteBuffer requestHead() {
        if (requestHead == null) {
            requestHead = request.head();
        }
        return requestHead;
    }
}
