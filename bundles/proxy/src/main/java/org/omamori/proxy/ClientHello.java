package org.omamori.proxy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The first flight of a TLS client, read without decrypting anything: the handshake records up to
 * the end of the ClientHello, kept byte for byte to be forwarded, and the server name from its
 * SNI extension (RFC 6066 §3). Bounded: a ClientHello may span records but not exceed 64 KiB.
 *
 * @param bytes      the records as received, to be sent on to the server
 * @param serverName the SNI host name, lower case; empty when the client sent none
 */
record ClientHello(byte[] bytes, String serverName) {

    static final int MAX_HELLO_BYTES = 64 << 10;
    private static final int MAX_RECORD = (16 << 10) + 2048;

    /** Not a TLS ClientHello, or a malformed one; the message says what was wrong. */
    static final class NotTls extends Exception {
        private static final long serialVersionUID = 1L;

        NotTls(String message) {
            super(message);
        }
    }

    static ClientHello read(HttpInput in) throws IOException, NotTls {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(2048);
        ByteArrayOutputStream handshake = new ByteArrayOutputStream(2048);
        int helloLength = -1;
        while (helloLength < 0 || handshake.size() < helloLength + 4) {
            byte[] header = exactly(in, 5);
            if (header[0] != 0x16) {
                throw new NotTls(raw.size() == 0 ? "the client did not start with a TLS handshake" : "a non-handshake record inside the ClientHello");
            }
            if (header[1] != 3) {
                throw new NotTls("not a TLS record version");
            }
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            if (length == 0 || length > MAX_RECORD) {
                throw new NotTls("a TLS record of " + length + " bytes");
            }
            byte[] payload = exactly(in, length);
            raw.writeBytes(header);
            raw.writeBytes(payload);
            handshake.writeBytes(payload);
            if (helloLength < 0 && handshake.size() >= 4) {
                byte[] h = handshake.toByteArray();
                if (h[0] != 1) {
                    throw new NotTls("the first handshake message is not a ClientHello");
                }
                helloLength = ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
                if (helloLength > MAX_HELLO_BYTES) {
                    throw new NotTls("a ClientHello of " + helloLength + " bytes");
                }
            }
            if (raw.size() > MAX_HELLO_BYTES + 4096) {
                throw new NotTls("the ClientHello spans too many records");
            }
        }
        byte[] h = handshake.toByteArray();
        return new ClientHello(raw.toByteArray(), serverName(ByteBuffer.wrap(h, 4, helloLength)));
    }

    /** The SNI host name in a ClientHello body, or empty. */
    static String serverName(ByteBuffer hello) throws NotTls {
        try {
            skip(hello, 2 + 32);                              // legacy_version, random
            skip(hello, hello.get() & 0xff);                  // legacy_session_id
            skip(hello, hello.getShort() & 0xffff);           // cipher_suites
            skip(hello, hello.get() & 0xff);                  // legacy_compression_methods
            if (!hello.hasRemaining()) {
                return "";                                    // no extensions at all
            }
            int extensionsEnd = (hello.getShort() & 0xffff) + hello.position();
            if (extensionsEnd > hello.limit()) {
                throw new NotTls("the extensions run past the ClientHello");
            }
            while (hello.position() + 4 <= extensionsEnd) {
                int type = hello.getShort() & 0xffff;
                int length = hello.getShort() & 0xffff;
                if (hello.position() + length > extensionsEnd) {
                    throw new NotTls("an extension runs past the extensions");
                }
                if (type != 0) {
                    skip(hello, length);
                    continue;
                }
                int listEnd = (hello.getShort() & 0xffff) + hello.position();
                while (hello.position() + 3 <= listEnd) {
                    int nameType = hello.get() & 0xff;
                    int nameLength = hello.getShort() & 0xffff;
                    if (nameType == 0) {
                        if (nameLength == 0 || nameLength > 253 || hello.position() + nameLength > listEnd) {
                            throw new NotTls("a server name of " + nameLength + " bytes");
                        }
                        byte[] name = new byte[nameLength];
                        hello.get(name);
                        String host = new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                        if (!host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                            throw new NotTls("the server name is not a DNS name");
                        }
                        return host;
                    }
                    skip(hello, nameLength);
                }
                return "";
            }
            return "";
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new NotTls("the ClientHello is cut short");
        }
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }

    private static byte[] exactly(HttpInput in, int n) throws IOException {
        byte[] out = new byte[n];
        int have = 0;
        while (have < n) {
            ByteBuffer slice = in.next(n - have);
            if (slice == null) {
                throw new EOFException("the client closed inside the ClientHello");
            }
            int k = slice.remaining();
            slice.get(out, have, k);
            have += k;
        }
        return out;
    }
}
