package org.omamori.proxy;

import java.util.List;

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
        List<String> codings = head.tokens("Transfer-Encoding");
        int lengths = head.count("Content-Length");
        if (head.count("Transfer-Encoding") > 0) {
            if (lengths > 0) {
                throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length: ambiguous framing refused");
            }
            if (head.http10()) {
                throw new HttpProtocolException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked")
                    || codings.indexOf("chunked") != codings.size() - 1) {
                throw new HttpProtocolException(400, "the final transfer coding of a request must be chunked, once");
            }
            return CHUNKED;
        }
        long length = contentLength(head, 400);
        return length <= 0 ? NONE : new Length(length);
    }

    static Framing ofResponse(String requestMethod, Head head) throws HttpProtocolException {
        framingNotHopByHop(head, 502);
        if (head.count("Transfer-Encoding") > 0 && head.http10()) {
            throw new HttpProtocolException(502, "the origin sent Transfer-Encoding in an HTTP/1.0 response");
        }
        // Parsed, and a malformed one refused, even where no body follows (HEAD, 304).
        long length = contentLength(head, 502);
        int status = head.status();
        if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return NONE;
        }
        if (head.count("Transfer-Encoding") > 0) {
            if (length >= 0) {
                throw new HttpProtocolException(502, "the origin sent both Transfer-Encoding and Content-Length");
            }
            List<String> codings = head.tokens("Transfer-Encoding");
            if (codings.isEmpty()) {
                throw new HttpProtocolException(502, "the origin sent an empty Transfer-Encoding");
            }
            int chunked = codings.indexOf("chunked");
            if (chunked >= 0 && chunked != codings.size() - 1) {
                throw new HttpProtocolException(502, "the origin applied chunked other than once and last");
            }
            return chunked >= 0 ? CHUNKED : UNTIL_CLOSE;
        }
        if (length < 0) {
            return UNTIL_CLOSE;
        }
        return length == 0 ? NONE : new Length(length);
    }

    /**
     * A message whose {@code Connection} header names its framing fields would lose them at the
     * next hop while its body still follows: the next hop would read the body as a new message
     * (request smuggling). Framing fields are never hop-by-hop.
     */
    private static void framingNotHopByHop(Head head, int status) throws HttpProtocolException {
        for (String token : head.tokens("Connection")) {
            if (token.equals("content-length") || token.equals("transfer-encoding")) {
                throw new HttpProtocolException(status, "the Connection header names " + token
                        + ": framing fields cannot be hop-by-hop");
            }
        }
    }

    /**
     * The one Content-Length, or -1 when absent; repeated values must agree (RFC 9110 §8.6), and
     * a field present without a value is refused.
     */
    static long contentLength(Head head, int status) throws HttpProtocolException {
        long length = -1;
        if (head.count("Content-Length") > 0 && head.tokens("Content-Length").isEmpty()) {
            throw new HttpProtocolException(status, "an empty Content-Length");
        }
        for (String value : head.tokens("Content-Length")) {
            if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new HttpProtocolException(status, "Content-Length is not a number of bytes");
            }
            long n = Long.parseLong(value);
            if (length >= 0 && n != length) {
                throw new HttpProtocolException(status, "differing Content-Length values");
            }
            length = n;
        }
        return length;
    }
}
