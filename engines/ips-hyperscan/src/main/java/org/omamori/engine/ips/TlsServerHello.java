package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the server's certificate chain from the server's side of a TLS connection, as the bytes
 * cross the wire (TLS records): the handshake messages are reassembled from records of type 22
 * and the Certificate message (type 11) of TLS 1.0-1.2 is read. A TLS 1.3 ServerHello (its
 * supported_versions says 0x0304) ends the reading: the certificate that follows is encrypted,
 * as is everything after a ChangeCipherSpec or application data. At most {@link #MAX_HANDSHAKE}
 * bytes of handshake are kept; anything malformed ends the reading without a certificate.
 *
 * <p>The buffers, as Suricata writes them (docs.suricata.io "TLS Keywords"): subject and issuer
 * as {@code C=US, O=Org, CN=name} in the certificate's order; the serial as upper-case hex bytes
 * joined by {@code :}; the fingerprint as the SHA-1 of the DER in lower-case hex joined by {@code :}.
 */
final class TlsServerHello {
    // Reads either side: the client's for JA3, the server's for JA3S and the certificate.

    static final int MAX_HANDSHAKE = 64 * 1024;

    private final byte[] header = new byte[5];
    private int headerHave;
    private int recordType;
    private int recordLeft;
    private byte[] handshake = new byte[4096];
    private int handshakeLength;
    private boolean done;
    private List<byte[]> chain;

    /** The JA3 (from a ClientHello) or JA3S (from a ServerHello) string, or null. */
    private String ja3;

    /**
     * Feeds bytes of one side; true once nothing more will be read from it: the ClientHello read
     * (client side), the certificate read, a TLS 1.3 ServerHello, or bytes that are no handshake.
     */
    boolean feed(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        while (!done && b.hasRemaining()) {
            if (recordLeft == 0) {
                header[headerHave++] = b.get();
                if (headerHave == 5) {
                    headerHave = 0;
                    recordType = header[0] & 0xFF;
                    recordLeft = (header[3] & 0xFF) << 8 | header[4] & 0xFF;
                    if (recordType != 22 || header[1] != 3) {
                        done = true; // not a handshake record (ChangeCipherSpec, data, alert, not TLS): nothing readable follows
                    }
                }
                continue;
            }
            int n = Math.min(recordLeft, b.remaining());
            if (handshakeLength + n > MAX_HANDSHAKE) {
                done = true;
                break;
            }
            if (handshakeLength + n > handshake.length) {
                handshake = java.util.Arrays.copyOf(handshake, Math.min(MAX_HANDSHAKE, Math.max(handshake.length * 2, handshakeLength + n)));
            }
            b.get(handshake, handshakeLength, n);
            handshakeLength += n;
            recordLeft -= n;
            messages();
        }
        return done;
    }

    /** Ends the reading (the side ended): what was read stays. */
    void finish() {
        done = true;
    }

    /** {@code ja3.string} or {@code ja3s.string} of the hello read, or null. */
    String ja3() {
        return ja3;
    }

    /** Reads the complete handshake messages held. */
    private void messages() {
        int at = 0;
        while (!done && handshakeLength - at >= 4) {
            int type = handshake[at] & 0xFF;
            int length = (handshake[at + 1] & 0xFF) << 16 | (handshake[at + 2] & 0xFF) << 8 | handshake[at + 3] & 0xFF;
            if (handshakeLength - at - 4 < length) {
                break; // the rest comes in later records
            }
            if (type == 1) {
                ja3 = clientJa3(at + 4, length);
                done = true;
            } else if (type == 2) {
                ja3 = serverJa3(at + 4, length);
                if (isTls13(at + 4, length)) {
                    done = true;
                }
            } else if (type == 11) {
                chain = certificates(at + 4, length);
                done = true;
            }
            at += 4 + length;
        }
        if (at > 0) {
            System.arraycopy(handshake, at, handshake, 0, handshakeLength - at);
            handshakeLength -= at;
        }
    }

    /** Whether a ServerHello names TLS 1.3 in its supported_versions extension (43). */
    private boolean isTls13(int start, int length) {
        int end = start + length;
        int p = start + 2 + 32; // version, random
        if (p >= end) {
            return false;
        }
        p += 1 + (handshake[p] & 0xFF); // session id
        p += 2 + 1; // cipher suite, compression
        if (p + 2 > end) {
            return false;
        }
        int extEnd = Math.min(end, p + 2 + ((handshake[p] & 0xFF) << 8 | handshake[p + 1] & 0xFF));
        p += 2;
        while (p + 4 <= extEnd) {
            int type = (handshake[p] & 0xFF) << 8 | handshake[p + 1] & 0xFF;
            int len = (handshake[p + 2] & 0xFF) << 8 | handshake[p + 3] & 0xFF;
            if (type == 43 && len == 2 && p + 6 <= extEnd) {
                return handshake[p + 4] == 3 && handshake[p + 5] == 4;
            }
            p += 4 + len;
        }
        return false;
    }

    private int u16(int p) {
        return (handshake[p] & 0xFF) << 8 | handshake[p + 1] & 0xFF;
    }

    /** GREASE values (RFC 8701: 0x0a0a, 0x1a1a, …) are left out of JA3, as its definition says. */
    private static boolean grease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
    }

    /**
     * JA3: {@code version,ciphers,extensions,groups,point formats}, each list's values in decimal
     * joined by {@code -}, GREASE left out; null when the ClientHello is cut short.
     */
    private String clientJa3(int start, int length) {
        int end = start + length;
        try {
            int p = start;
            int version = u16(p);
            p += 2 + 32;
            p += 1 + (handshake[p] & 0xFF);
            int ciphersEnd = p + 2 + u16(p);
            StringBuilder ciphers = new StringBuilder();
            for (p += 2; p + 2 <= ciphersEnd; p += 2) {
                join(ciphers, u16(p));
            }
            p = ciphersEnd;
            p += 1 + (handshake[p] & 0xFF);
            StringBuilder extensions = new StringBuilder();
            StringBuilder groups = new StringBuilder();
            StringBuilder formats = new StringBuilder();
            if (p + 2 <= end) {
                int extEnd = Math.min(end, p + 2 + u16(p));
                for (p += 2; p + 4 <= extEnd; ) {
                    int type = u16(p);
                    int len = u16(p + 2);
                    join(extensions, type);
                    if (type == 10 && len >= 2) {
                        int listEnd = p + 6 + u16(p + 4);
                        for (int q = p + 6; q + 2 <= listEnd && q + 2 <= p + 4 + len; q += 2) {
                            join(groups, u16(q));
                        }
                    } else if (type == 11 && len >= 1) {
                        int n = handshake[p + 4] & 0xFF;
                        for (int q = p + 5; q < p + 5 + n && q < p + 4 + len; q++) {
                            join(formats, handshake[q] & 0xFF);
                        }
                    }
                    p += 4 + len;
                }
            }
            if (ciphersEnd > end) {
                return null;
            }
            return version + "," + ciphers + "," + extensions + "," + groups + "," + formats;
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** JA3S: {@code version,cipher,extensions} of a ServerHello; null when cut short. */
    private String serverJa3(int start, int length) {
        int end = start + length;
        try {
            int p = start;
            int version = u16(p);
            p += 2 + 32;
            p += 1 + (handshake[p] & 0xFF);
            int cipher = u16(p);
            p += 3;
            StringBuilder extensions = new StringBuilder();
            if (p + 2 <= end) {
                int extEnd = Math.min(end, p + 2 + u16(p));
                for (p += 2; p + 4 <= extEnd; p += 4 + u16(p + 2)) {
                    join(extensions, u16(p));
                }
            }
            return version + "," + cipher + "," + extensions;
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static void join(StringBuilder list, int value) {
        if (grease(value)) {
            return;
        }
        if (!list.isEmpty()) {
            list.append('-');
        }
        list.append(value);
    }

    /** The MD5 of a JA3 string in lower-case hex, as {@code ja3.hash} holds it. */
    static String md5(String ja3) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(ja3.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has MD5", e);
        }
    }

    private List<byte[]> certificates(int start, int length) {
        List<byte[]> out = new ArrayList<>();
        if (length < 3) {
            return null;
        }
        int end = start + length;
        int p = start + 3;
        while (p + 3 <= end) {
            int len = (handshake[p] & 0xFF) << 16 | (handshake[p + 1] & 0xFF) << 8 | handshake[p + 2] & 0xFF;
            p += 3;
            if (p + len > end) {
                return null;
            }
            out.add(java.util.Arrays.copyOfRange(handshake, p, p + len));
            p += len;
        }
        return out.isEmpty() ? null : out;
    }

    /** The chain in the server's order (its own certificate first), DER; null until read. */
    List<byte[]> chain() {
        return chain;
    }

    /** The buffers of the server's certificate; empty strings where it cannot be decoded. */
    record Buffers(String subject, String issuer, String serial, String fingerprint) {
        static final Buffers NONE = new Buffers("", "", "", "");

        static Buffers of(byte[] der) {
            CertificateNames.Names names = CertificateNames.of(der);
            if (names == null) {
                return NONE;
            }
            try {
                String f = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-1").digest(der));
                return new Buffers(names.subject(), names.issuer(), names.serial(), f);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }
    }
}
