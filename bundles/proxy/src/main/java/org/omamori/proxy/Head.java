package org.omamori.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.omamori.api.engine.Header;

/**
 * A parsed message head: offsets into the bytes received ({@link HeadBytes}), parsed once. Parsing
 * is strict (RFC 9110 §5, RFC 9112 §2-§6): token field names, no whitespace before the colon, no
 * obsolete line folding, no control characters in values. The fields the proxy acts on are
 * recognised while parsing ({@link KnownField}) and their list elements located, so framing and
 * connection handling read bytes, not Strings; a field's name and value become Strings only
 * when asked for (the engines' {@link Header}s).
 */
final class Head {

    /** Names seen in most heads, reused rather than made per request when spelt exactly so. */
    private static final String[] COMMON = {"Accept", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Age",
        "Cache-Control", "Content-Encoding", "Content-Type", "Cookie", "Date", "ETag", "Expires", "Last-Modified",
        "Location", "Referer", "Server", "Set-Cookie", "User-Agent", "Vary", "X-Forwarded-For"};

    private static final int STRIDE = 5;
    private static final String[] METHODS = {"GET", "HEAD", "POST", "CONNECT"};

    private final byte[] b;
    /** Per field, {@link #STRIDE} ints: start of name, colon, value start, value end (trimmed), KnownField ordinal. */
    private final int[] spans;
    /** Elements of the known list fields in order: kind ordinal, start, end (trimmed, non-empty). */
    private int[] elements;
    private int elementCount;
    private final int fieldCount;
    /** The head's bytes in {@link #b}, from 0 (the array is the client connection's, reused for its next head). */
    private final int length;
    /** Request: end of method, start and end of target. Response: status code. */
    private final int methodEnd;
    private final int targetStart;
    private final int targetEnd;
    private final int status;
    private final int lineEnd;
    private final boolean http10;
    private String method;
    private String target;

    private Head(HeadBytes raw, boolean request, int methodEnd, int targetStart, int targetEnd, int status, boolean http10)
            throws HttpProtocolException {
        this.b = raw.bytes();
        this.length = raw.length();
        this.methodEnd = methodEnd;
        this.targetStart = targetStart;
        this.targetEnd = targetEnd;
        this.status = status;
        this.lineEnd = raw.lineEnd(0);
        this.http10 = http10;
        this.fieldCount = raw.lines() - 1;
        this.spans = new int[fieldCount * STRIDE];
        parseFields(raw, request ? 400 : 502);
    }

    static Head request(HeadBytes raw) throws HttpProtocolException {
        byte[] b = raw.bytes();
        int end = raw.lineEnd(0);
        int sp1 = HeadSyntax.indexOf(b, 0, end, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : HeadSyntax.indexOf(b, sp1 + 1, end, (byte) ' ');
        if (sp1 <= 0 || sp2 < 0 || HeadSyntax.indexOf(b, sp2 + 1, end, (byte) ' ') >= 0 || sp2 == sp1 + 1) {
            throw new HttpProtocolException(400, "the request line is not 'METHOD target HTTP/1.x'");
        }
        if (!HeadSyntax.isToken(b, 0, sp1)) {
            throw new HttpProtocolException(400, "the method is not a token");
        }
        boolean http10 = HeadSyntax.equalsExactly(b, sp2 + 1, end, "HTTP/1.0");
        if (!http10 && !HeadSyntax.equalsExactly(b, sp2 + 1, end, "HTTP/1.1")) {
            throw new HttpProtocolException(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int c = b[i] & 0xff;
            if (c <= ' ' || c >= 0x7f) {
                throw new HttpProtocolException(400, "the request target has a character that must be percent-encoded");
            }
        }
        return new Head(raw, true, sp1, sp1 + 1, sp2, -1, http10);
    }

    static Head response(HeadBytes raw) throws HttpProtocolException {
        byte[] b = raw.bytes();
        int end = raw.lineEnd(0);
        if (end < 12 || !(HeadSyntax.equalsExactly(b, 0, 9, "HTTP/1.1 ") || HeadSyntax.equalsExactly(b, 0, 9, "HTTP/1.0 "))
                || !digit(b[9]) || !digit(b[10]) || !digit(b[11]) || (end > 12 && b[12] != ' ')) {
            throw new HttpProtocolException(502, "the origin's status line is not 'HTTP/1.x NNN reason'");
        }
        for (int i = 13; i < end; i++) {
            if (HeadSyntax.isControl(b[i])) {
                throw new HttpProtocolException(502, "a control character in the origin's reason phrase");
            }
        }
        // A reason phrase of exactly "HTTP/1.0" counts as HTTP/1.0 too, as it always has here: the
        // stricter reading (no Transfer-Encoding, no reuse).
        boolean http10 = b[7] == '0' || HeadSyntax.equalsExactly(b, 13, end, "HTTP/1.0");
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        return new Head(raw, false, -1, -1, -1, status, http10);
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private void parseFields(HeadBytes raw, int refusal) throws HttpProtocolException {
        for (int f = 0; f < fieldCount; f++) {
            int start = raw.lineStart(f + 1);
            int end = raw.lineEnd(f + 1);
            if (b[start] == ' ' || b[start] == '\t') {
                throw new HttpProtocolException(refusal, "obsolete line folding in a header field");
            }
            int colon = HeadSyntax.indexOf(b, start, end, (byte) ':');
            if (colon <= start) {
                throw new HttpProtocolException(refusal, "a header line without a field name and colon");
            }
            if (!HeadSyntax.isToken(b, start, colon)) {
                throw new HttpProtocolException(refusal, "a header field name that is not a token (whitespace before the colon?)");
            }
            int from = colon + 1;
            int to = end;
            while (from < to && HeadSyntax.isStripped(b[from])) {
                from++;
            }
            while (to > from && HeadSyntax.isStripped(b[to - 1])) {
                to--;
            }
            for (int i = from; i < to; i++) {
                if (HeadSyntax.isControl(b[i])) {
                    throw new HttpProtocolException(refusal, "a control character in header field "
                            + new String(b, start, colon - start, StandardCharsets.ISO_8859_1));
                }
            }
            KnownField kind = KnownField.of(b, start, colon);
            spans[f * STRIDE] = start;
            spans[f * STRIDE + 1] = colon;
            spans[f * STRIDE + 2] = from;
            spans[f * STRIDE + 3] = to;
            spans[f * STRIDE + 4] = kind.ordinal();
            if (kind.list) {
                addElements(kind, from, to);
            }
        }
    }

    /** Splits a list value at its commas; elements are trimmed, empty ones skipped. */
    private void addElements(KnownField kind, int from, int to) {
        int p = from;
        while (p < to) {
            int comma = HeadSyntax.indexOf(b, p, to, (byte) ',');
            int end = comma < 0 ? to : comma;
            int s = p;
            int e = end;
            while (s < e && HeadSyntax.isStripped(b[s])) {
                s++;
            }
            while (e > s && HeadSyntax.isStripped(b[e - 1])) {
                e--;
            }
            if (s < e) {
                if (elements == null) {
                    elements = new int[12];
                } else if (elementCount * 3 == elements.length) {
                    elements = Arrays.copyOf(elements, elements.length * 2);
                }
                elements[elementCount * 3] = kind.ordinal();
                elements[elementCount * 3 + 1] = s;
                elements[elementCount * 3 + 2] = e;
                elementCount++;
            }
            p = end + 1;
        }
    }

    /** The method (request). */
    String method() {
        if (method == null) {
            method = methodString();
        }
        return method;
    }

    private String methodString() {
        for (String m : METHODS) {
            if (HeadSyntax.equalsExactly(b, 0, methodEnd, m)) {
                return m;
            }
        }
        return new String(b, 0, methodEnd, StandardCharsets.ISO_8859_1);
    }

    /** Whether the method is exactly {@code m} (methods are case-sensitive). */
    boolean methodIs(String m) {
        return HeadSyntax.equalsExactly(b, 0, methodEnd, m);
    }

    /** The request target as received (request). */
    String target() {
        if (target == null) {
            target = new String(b, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
        }
        return target;
    }

    /** The status code (response). */
    int status() {
        return status;
    }

    boolean http10() {
        return http10;
    }

    /** The response's status line as received, without a trailing space when the reason is empty. */
    String statusLine() {
        return new String(b, 0, lineEnd == 13 ? 12 : lineEnd, StandardCharsets.ISO_8859_1);
    }

    /** The start line as received. */
    String startLine() {
        return new String(b, 0, lineEnd, StandardCharsets.ISO_8859_1);
    }

    int fields() {
        return fieldCount;
    }

    KnownField kind(int field) {
        return KnownField.byOrdinal(spans[field * STRIDE + 4]);
    }

    int count(KnownField kind) {
        int n = 0;
        for (int i = 0; i < fieldCount; i++) {
            if (spans[i * STRIDE + 4] == kind.ordinal()) {
                n++;
            }
        }
        return n;
    }

    /** The index of the first field of {@code kind}, or -1. */
    int first(KnownField kind) {
        for (int i = 0; i < fieldCount; i++) {
            if (spans[i * STRIDE + 4] == kind.ordinal()) {
                return i;
            }
        }
        return -1;
    }

    /** The field's name as received. */
    String name(int field) {
        int start = spans[field * STRIDE];
        int colon = spans[field * STRIDE + 1];
        KnownField kind = kind(field);
        if (kind != KnownField.OTHER && HeadSyntax.equalsExactly(b, start, colon, kind.name)) {
            return kind.name;
        }
        for (String common : COMMON) {
            if (common.length() == colon - start && HeadSyntax.equalsExactly(b, start, colon, common)) {
                return common;
            }
        }
        return new String(b, start, colon - start, StandardCharsets.ISO_8859_1);
    }

    /** The field's value, trimmed. */
    String value(int field) {
        return new String(b, spans[field * STRIDE + 2], spans[field * STRIDE + 3] - spans[field * STRIDE + 2], StandardCharsets.ISO_8859_1);
    }

    /** The fields as the engines take them. */
    List<Header> headers() {
        return List.of(headers(0));
    }

    /** The fields as the engines take a response's: led by the status line ({@link Header#STATUS_LINE}). */
    List<Header> headersWithStatusLine() {
        return headersWithStatusLine(null);
    }

    /**
     * {@link #headersWithStatusLine()}, taking from {@code last} (the list this gave for the
     * connection's previous response, or null) each entry that holds the same name and value at the
     * same place, and {@code last} itself when all do: a keep-alive connection to one origin mostly
     * gets the same head again (Date aside), so its Strings are not made again per response.
     */
    List<Header> headersWithStatusLine(List<Header> last) {
        boolean fits = last != null && last.size() == fieldCount + 1;
        if (fits && sameStatusLine(last.get(0)) && sameFields(last, 0, fieldCount)) {
            return last;
        }
        Header[] all = new Header[fieldCount + 1];
        all[0] = fits && sameStatusLine(last.get(0)) ? last.get(0) : Header.statusLine(statusLine());
        for (int i = 0; i < fieldCount; i++) {
            all[i + 1] = fits && sameFields(last, i, i + 1) ? last.get(i + 1) : new Header(name(i), value(i));
        }
        return List.of(all); // immutable: the pipeline keeps it as it is
    }

    private boolean sameStatusLine(Header h) {
        return h.is(Header.STATUS_LINE) && HeadSyntax.equalsExactly(b, 0, lineEnd == 13 ? 12 : lineEnd, h.value());
    }

    /** Whether fields {@code [from, to)} have the names and values of {@code last}'s entries after its status line. */
    private boolean sameFields(List<Header> last, int from, int to) {
        for (int i = from; i < to; i++) {
            Header h = last.get(i + 1);
            int at = i * STRIDE;
            if (!HeadSyntax.equalsExactly(b, spans[at], spans[at + 1], h.name())
                    || !HeadSyntax.equalsExactly(b, spans[at + 2], spans[at + 3], h.value())) {
                return false;
            }
        }
        return true;
    }

    private Header[] headers(int before) {
        Header[] made = new Header[before + fieldCount];
        for (int i = 0; i < fieldCount; i++) {
            made[before + i] = new Header(name(i), value(i));
        }
        return made;
    }

    /** The first value of a field, its name compared case-insensitively. */
    Optional<String> header(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (int i = 0; i < fieldCount; i++) {
            if (HeadSyntax.equalsLower(b, spans[i * STRIDE], spans[i * STRIDE + 1], lower)) {
                return Optional.of(value(i));
            }
        }
        return Optional.empty();
    }

    /** Whether a list field has the element {@code lower} (lower-case ASCII), ignoring ASCII case. */
    boolean hasElement(KnownField kind, String lower) {
        for (int i = 0; i < elementCount; i++) {
            if (elements[i * 3] == kind.ordinal() && HeadSyntax.equalsLower(b, elements[i * 3 + 1], elements[i * 3 + 2], lower)) {
                return true;
            }
        }
        return false;
    }

    /** How many elements a list field has, over all its lines. */
    int elementCount(KnownField kind) {
        int n = 0;
        for (int i = 0; i < elementCount; i++) {
            if (elements[i * 3] == kind.ordinal()) {
                n++;
            }
        }
        return n;
    }

    /** The elements of the known list fields, in order received: see {@link #elementKind} and the range. */
    int elements() {
        return elementCount;
    }

    KnownField elementKind(int element) {
        return KnownField.byOrdinal(elements[element * 3]);
    }

    int elementFrom(int element) {
        return elements[element * 3 + 1];
    }

    int elementTo(int element) {
        return elements[element * 3 + 2];
    }

    /** Whether the field's name is an element of {@code Connection} (it is then hop-by-hop). */
    boolean namedByConnection(int field) {
        for (int i = 0; i < elementCount; i++) {
            if (elements[i * 3] == KnownField.CONNECTION.ordinal()
                    && HeadSyntax.equalsIgnoreCase(b, elements[i * 3 + 1], elements[i * 3 + 2], spans[field * STRIDE], spans[field * STRIDE + 1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The head as received (start line, fields, the empty line) for the engines: a view of the
     * bytes parsed, not a copy; they do not change until the client connection reads its next head,
     * after the exchange's inspection was closed, so the view stays valid as engine API 1.5 asks.
     */
    ByteBuffer sent() {
        return ByteBuffer.wrap(b, 0, length);
    }

    /** The request's version as sent: {@code HTTP/1.0} or {@code HTTP/1.1}, the only two spoken here. */
    String version() {
        return http10 ? "HTTP/1.0" : "HTTP/1.1";
    }

    /** The bytes the offsets point into; not to be changed. */
    byte[] bytes() {
        return b;
    }

    int nameStart(int field) {
        return spans[field * STRIDE];
    }

    int nameEnd(int field) {
        return spans[field * STRIDE + 1];
    }

    int valueStart(int field) {
        return spans[field * STRIDE + 2];
    }

    int valueEnd(int field) {
        return spans[field * STRIDE + 3];
    }

    int methodEnd() {
        return methodEnd;
    }

    /** Response: where the reason phrase starts and ends (empty when there is none). */
    int reasonStart() {
        return Math.min(13, lineEnd);
    }

    int reasonEnd() {
        return lineEnd;
    }
}
