package org.omamori.proxy;

/**
 * How a message body is delimited (RFC 9112 §6.3). Anything ambiguous is refused rather than
 * guessed: Transfer-Encoding together with Content-Length, differing Content-Lengths, a
 * Transfer-Encoding whose final coding is not chunked on a request.
 */
sealed interface Framing {

    /** No body. */
    record None() implements Framing {
    }

    /** Exactly this many bytes. */
    record Length(long bytes) implements Framing {
    }

    /** Chunked transfer coding. */
    record Chunked() implements Framing {
    }

    /** Until the server closes the connection (responses only). */
    record UntilClose() implements Framing {
    }

    Framing NONE = new None();
    Framing CHUNKED = new Chunked();
    Framing UNTIL_CLOSE = new UntilClose();

    static Framing ofRequest(Head head) throws HttpProtocolException {
        framingNotHopByHop(head, 400);
        int lengths = head.count(KnownField.CONTENT_LENGTH);
        if (head.count(KnownField.TRANSFER_ENCODING) > 0) {
            if (lengths > 0) {
                throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length: ambiguous framing refused");
            }
            if (head.http10()) {
                throw new HttpProtocolException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            Codings codings = Codings.of(head);
            if (codings.count() == 0 || !codings.lastChunked() || codings.chunked() != 1) {
                throw new HttpProtocolException(400, "the final transfer coding of a request must be chunked, once");
            }
            return CHUNKED;
        }
        long length = contentLength(head, 400);
        return length <= 0 ? NONE : new Length(length);
    }

    static Framing ofResponse(String requestMethod, Head head) throws HttpProtocolException {
        framingNotHopByHop(head, 502);
        boolean transferEncoding = head.count(KnownField.TRANSFER_ENCODING) > 0;
        if (transferEncoding && head.http10()) {
            throw new HttpProtocolException(502, "the origin sent Transfer-Encoding in an HTTP/1.0 response");
        }
        // Parsed, and a malformed one refused, even where no body follows (HEAD, 304).
        long length = contentLength(head, 502);
        int status = head.status();
        if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return NONE;
        }
        if (transferEncoding) {
            if (length >= 0) {
                throw new HttpProtocolException(502, "the origin sent both Transfer-Encoding and Content-Length");
            }
            Codings codings = Codings.of(head);
            if (codings.count() == 0) {
                throw new HttpProtocolException(502, "the origin sent an empty Transfer-Encoding");
            }
            if (codings.chunked() > 0 && !(codings.chunked() == 1 && codings.lastChunked())) {
                throw new HttpProtocolException(502, "the origin applied chunked other than once and last");
            }
            return codings.chunked() > 0 ? CHUNKED : UNTIL_CLOSE;
        }
        if (length < 0) {
            return UNTIL_CLOSE;
        }
        return length == 0 ? NONE : new Length(length);
    }

    /**
     * What framing needs of the transfer codings, over all Transfer-Encoding lines.
     *
     * @param count       the codings
     * @param chunked     how many of them are {@code chunked}
     * @param lastChunked whether the last one is
     */
    record Codings(int count, int chunked, boolean lastChunked) {

        static Codings of(Head head) {
            int count = 0;
            int chunked = 0;
            boolean last = false;
            byte[] b = head.bytes();
            for (int i = 0; i < head.elements(); i++) {
                if (head.elementKind(i) == KnownField.TRANSFER_ENCODING) {
                    count++;
                    last = HeadSyntax.equalsLower(b, head.elementFrom(i), head.elementTo(i), "chunked");
                    if (last) {
                        chunked++;
                    }
                }
            }
            return new Codings(count, chunked, last);
        }
    }

    /**
     * A message whose {@code Connection} header names its framing fields would lose them at the
     * next hop while its body still follows: the next hop would read the body as a new message
     * (request smuggling). Framing fields are never hop-by-hop.
     */
    private static void framingNotHopByHop(Head head, int status) throws HttpProtocolException {
        byte[] b = head.bytes();
        for (int i = 0; i < head.elements(); i++) {
            if (head.elementKind(i) == KnownField.CONNECTION) {
                int from = head.elementFrom(i);
                int to = head.elementTo(i);
                String framing = HeadSyntax.equalsLower(b, from, to, "content-length") ? "content-length"
                        : HeadSyntax.equalsLower(b, from, to, "transfer-encoding") ? "transfer-encoding" : null;
                if (framing != null) {
                    throw new HttpProtocolException(status, "the Connection header names " + framing
                            + ": framing fields cannot be hop-by-hop");
                }
            }
        }
    }

    /**
     * The one Content-Length, or -1 when absent; repeated values must agree (RFC 9110 §8.6), and
     * a field present without a value is refused. Elements of a list are trimmed of optional
     * whitespace ({@code 5, 5} is 5); an empty element ({@code 5,}) is refused.
     */
    static long contentLength(Head head, int status) throws HttpProtocolException {
        if (head.count(KnownField.CONTENT_LENGTH) == 0) {
            return -1;
        }
        long length = -1;
        byte[] b = head.bytes();
        for (int i = 0; i < head.elements(); i++) {
            if (head.elementKind(i) != KnownField.CONTENT_LENGTH) {
                continue;
            }
            int from = head.elementFrom(i);
            int to = head.elementTo(i);
            if (to - from > 18) {
                throw new HttpProtocolException(status, "Content-Length is not a number of bytes");
            }
            long n = 0;
            for (int k = from; k < to; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    throw new HttpProtocolException(status, "Content-Length is not a number of bytes");
                }
                n = n * 10 + (b[k] - '0');
            }
            if (length >= 0 && n != length) {
                throw new HttpProtocolException(status, "differing Content-Length values");
            }
            length = n;
        }
        if (length < 0) {
            throw new HttpProtocolException(status, "an empty Content-Length");
        }
        // The list's empty elements were skipped above: "5," or ", 5" is refused, not read as 5.
        int elements = 0;
        for (int f = 0; f < head.fields(); f++) {
            if (head.kind(f) == KnownField.CONTENT_LENGTH) {
                elements++;
                for (int k = head.valueStart(f); k < head.valueEnd(f); k++) {
                    if (b[k] == ',') {
                        elements++;
                    }
                }
            }
        }
        if (elements != head.elementCount(KnownField.CONTENT_LENGTH)) {
            throw new HttpProtocolException(status, "an empty element in Content-Length");
        }
        return length;
    }
}
