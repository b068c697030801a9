package org.omamori.engine.ips;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

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

    static final int MAX_HANDSHAKE = 64 * 1024;

    private final byte[] header = new byte[5];
    private int headerHave;
    private int recordType;
    private int recordLeft;
    private byte[] handshake = new byte[4096];
    private int handshakeLength;
    private boolean done;
    private List<byte[]> chain;

    /** Feeds server bytes; true once the certificate chain has been read (then {@link #chain()}). */
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
        return chain != null;
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
            if (type == 2 && isTls13(at + 4, length)) {
                done = true;
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
            try {
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
                byte[] serial = cert.getSerialNumber().toByteArray();
                int skip = serial.length > 1 && serial[0] == 0 ? 1 : 0; // the sign byte of a positive serial
                String s = HexFormat.ofDelimiter(":").withUpperCase().formatHex(serial, skip, serial.length);
                String f = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-1").digest(der));
                return new Buffers(name(cert.getSubjectX500Principal()), name(cert.getIssuerX500Principal()), s, f);
            } catch (CertificateException | NoSuchAlgorithmException | RuntimeException e) {
                return NONE;
            }
        }

        /** {@code C=US, O=Org, CN=name}: the RDNs in the certificate's order. */
        private static String name(X500Principal p) {
            try {
                List<Rdn> rdns = new LdapName(p.getName(X500Principal.RFC2253)).getRdns(); // index 0: the first in the DER
                StringBuilder out = new StringBuilder();
                for (Rdn r : rdns) {
                    if (!out.isEmpty()) {
                        out.append(", ");
                    }
                    Object v = r.getValue();
                    out.append(r.getType()).append('=').append(v instanceof byte[] raw ? new String(raw, StandardCharsets.ISO_8859_1) : v);
                }
                return out.toString();
            } catch (InvalidNameException e) {
                return p.getName();
            }
        }
    }
}
