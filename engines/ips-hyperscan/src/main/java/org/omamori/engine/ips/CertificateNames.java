package org.omamori.engine.ips;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * The subject, issuer and serial of a DER certificate, read from the bytes as Suricata reads
 * them: the JDK's parser refuses a certificate with an empty issuer and would not show a NUL byte
 * hidden in a name, and both are what {@code tls.cert_*} rules look for (suricata-verify's
 * tls-cert-noissuer, tls-issuer-zero). Only the start of the TBSCertificate is read (version,
 * serial, signature algorithm, issuer, validity, subject); the signature is not checked. A name is
 * written {@code C=US, O=Org, CN=name}: each attribute in the certificate's order, short names for
 * the usual types, the dotted OID for others, the value's bytes as they are (ISO-8859-1 for
 * anything that is not UTF-8). Anything malformed gives null, never an exception.
 */
final class CertificateNames {

    private static final Map<String, String> SHORT = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"), Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.10", "O"),
            Map.entry("2.5.4.11", "OU"), Map.entry("2.5.4.5", "serialNumber"), Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"),
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"), Map.entry("0.9.2342.19200300.100.1.25", "DC"),
            Map.entry("0.9.2342.19200300.100.1.1", "UID"));

    /** Subject, issuer and serial (upper-case hex bytes joined by {@code :}). */
    record Names(String subject, String issuer, String serial) {
    }

    private final byte[] der;
    private int p;

    private CertificateNames(byte[] der) {
        this.der = der;
    }

    /** The names of a certificate, or null when its start is not well-formed DER. */
    static Names of(byte[] der) {
        try {
            return new CertificateNames(der).read();
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    private Names read() {
        enter(0x30); // Certificate
        enter(0x30); // TBSCertificate
        if ((der[p] & 0xFF) == 0xA0) {
            skip(0xA0); // [0] version
        }
        int serialLength = enter(0x02);
        int from = serialLength > 1 && der[p] == 0 ? p + 1 : p; // the sign byte of a positive serial
        String serial = HexFormat.ofDelimiter(":").withUpperCase().formatHex(der, from, p + serialLength);
        p += serialLength;
        skip(0x30); // signature algorithm
        String issuer = name();
        skip(0x30); // validity
        String subject = name();
        return new Names(subject, issuer, serial);
    }

    private String name() {
        int length = enter(0x30);
        int end = p + length;
        StringBuilder out = new StringBuilder();
        while (p < end) {
            int setLength = enter(0x31);
            int setEnd = p + setLength;
            while (p < setEnd) {
                int attrLength = enter(0x30);
                int attrEnd = p + attrLength;
                int oidLength = enter(0x06);
                String oid = oid(p, oidLength);
                p += oidLength;
                p++; // the value's tag: any string type
                int valueLength = length();
                check(p + valueLength <= attrEnd);
                if (!out.isEmpty()) {
                    out.append(", ");
                }
                out.append(SHORT.getOrDefault(oid, oid)).append('=').append(text(p, valueLength));
                p = attrEnd;
            }
            p = setEnd;
        }
        check(p == end);
        return out.toString();
    }

    private String text(int from, int length) {
        String utf8 = new String(der, from, length, StandardCharsets.UTF_8);
        return utf8.indexOf('\uFFFD') < 0 ? utf8 : new String(der, from, length, StandardCharsets.ISO_8859_1);
    }

    private String oid(int from, int length) {
        check(length > 0);
        StringBuilder out = new StringBuilder();
        int first = der[from] & 0xFF;
        out.append(first < 80 ? first / 40 : 2).append('.').append(first < 80 ? first % 40 : first - 80);
        long v = 0;
        for (int i = from + 1; i < from + length; i++) {
            v = v << 7 | der[i] & 0x7F;
            check(v < (1L << 56));
            if ((der[i] & 0x80) == 0) {
                out.append('.').append(v);
                v = 0;
            }
        }
        return out.toString();
    }

    /** Reads a tag and length, leaving {@code p} at the content; returns the content's length. */
    private int enter(int tag) {
        check((der[p++] & 0xFF) == tag);
        int length = length();
        check(p + length <= der.length);
        return length;
    }

    private void skip(int tag) {
        int length = enter(tag);
        p += length;
    }

    private int length() {
        int first = der[p++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7F;
        check(bytes >= 1 && bytes <= 3);
        int length = 0;
        for (int i = 0; i < bytes; i++) {
            length = length << 8 | der[p++] & 0xFF;
        }
        return length;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("not a well-formed certificate");
        }
    }
}
