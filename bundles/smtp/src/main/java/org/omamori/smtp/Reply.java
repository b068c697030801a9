package org.omamori.smtp;

import java.nio.charset.StandardCharsets;

/**
 * An SMTP reply: code, enhanced status code (RFC 3463) and text, one line. Texts are ASCII: they
 * are ours, never an echo of what the client sent (an echo would let a client write reply lines).
 */
public record Reply(int code, String status, String text) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("reply text must be printable ASCII");
            }
        }
    }

    public static Reply of(int code, String status, String text) {
        return new Reply(code, status, text);
    }

    public boolean positive() {
        return code < 400;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** The reply line with its CRLF. */
    public byte[] bytes() {
        return (code + " " + (status.isEmpty() ? "" : status + " ") + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return code + " " + status + " " + text;
    }
}
