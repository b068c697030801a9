package org.omamori.proxy;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Chunked bodies are forwarded re-framed, never as received: each piece of decoded data becomes
 * one chunk with a bare hexadecimal size line, and the body ends with {@code 0 CRLF CRLF}. Chunk
 * extensions, whitespace in size lines, leading zeros and trailer fields do not reach the next hop,
 * so it cannot read the body's end anywhere but where the proxy did. One per exchange direction,
 * its buffer reused from slice to slice.
 */
final class CanonicalChunks {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LAST = {'0', '\r', '\n', '\r', '\n'};

    private byte[] buffer = new byte[8 << 10];
    private int length;

    /** Starts the re-framed bytes of the next slice. */
    void clear() {
        length = 0;
    }

    /** One chunk holding {@code data}. */
    void chunk(ByteBuffer data) {
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensure(n + 20);
        int digits = (32 - Integer.numberOfLeadingZeros(n) + 3) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            buffer[length++] = HEX[(n >>> (i * 4)) & 0xf];
        }
        buffer[length++] = '\r';
        buffer[length++] = '\n';
        data.duplicate().get(buffer, length, n);
        length += n;
        buffer[length++] = '\r';
        buffer[length++] = '\n';
    }

    /** The last chunk and an empty trailer section. */
    void end() {
        ensure(LAST.length);
        System.arraycopy(LAST, 0, buffer, length, LAST.length);
        length += LAST.length;
    }

    /** The bytes written since {@link #clear()}, valid until the next call. */
    ByteBuffer bytes() {
        return ByteBuffer.wrap(buffer, 0, length);
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
