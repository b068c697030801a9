package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Names read from the certificate's bytes, including those the JDK's parser refuses or hides. */
class CertificateNamesTest {

    @Test
    void anEmptyIssuerAndANulByteInANameAreReadAsSuricataReadsThem() {
        byte[] der = certificate(name(), name(attr("2.5.4.6", "US"), attr("2.5.4.10", "Bad\0Corp"), attr("2.5.4.3", "evil.example")),
                new byte[] {0, (byte) 0x99, 0x01});
        CertificateNames.Names names = CertificateNames.of(der);
        assertThat(names).isNotNull();
        assertThat(names.issuer()).isEmpty();
        assertThat(names.subject()).isEqualTo("C=US, O=Bad\0Corp, CN=evil.example");
        assertThat(names.serial()).isEqualTo("99:01"); // the sign byte of a positive serial left out
    }

    @Test
    void unusualTypesAreWrittenAsTheirOidAndUtf8Survives() {
        byte[] der = certificate(name(attr("2.5.4.3", "ＣＡ"), attr("1.3.6.1.4.1.311.60.2.1.3", "JP")),
                name(attr("2.5.4.9", ""), attr("2.5.4.17", "6565")), new byte[] {5});
        CertificateNames.Names names = CertificateNames.of(der);
        assertThat(names.issuer()).isEqualTo("CN=ＣＡ, 1.3.6.1.4.1.311.60.2.1.3=JP");
        assertThat(names.subject()).isEqualTo("street=, postalCode=6565");
        assertThat(names.serial()).isEqualTo("05");
    }

    @Test
    void everyTruncationAndEveryFlippedByteIsNullOrANameNeverAnException() {
        byte[] der = certificate(name(attr("2.5.4.3", "ca")), name(attr("2.5.4.3", "host")), new byte[] {1, 2});
        for (int n = 0; n < der.length; n++) {
            assertThat(CertificateNames.of(Arrays.copyOf(der, n))).as("cut at %d", n).isNull();
        }
        for (int i = 0; i < der.length; i++) {
            for (int v : new int[] {0x00, 0x7f, 0x80, 0x84, 0xff}) {
                byte[] bad = der.clone();
                bad[i] = (byte) v;
                CertificateNames.of(bad); // must not throw
            }
        }
    }

    // ---- a minimal DER certificate: only what is read (no key, no signature worth checking) ----

    static byte[] certificate(byte[] issuer, byte[] subject, byte[] serial) {
        byte[] tbs = tlv(0x30, concat(tlv(0xA0, tlv(0x02, new byte[] {2})), tlv(0x02, serial),
                tlv(0x30, tlv(0x06, oid("1.2.840.113549.1.1.11"))), issuer, tlv(0x30, new byte[0]), subject));
        return tlv(0x30, concat(tbs, tlv(0x30, tlv(0x06, oid("1.2.840.113549.1.1.11"))), tlv(0x03, new byte[] {0})));
    }

    static byte[] name(byte[]... attributes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : attributes) {
            out.writeBytes(tlv(0x31, a));
        }
        return tlv(0x30, out.toByteArray());
    }

    static byte[] attr(String oid, String value) {
        return tlv(0x30, concat(tlv(0x06, oid(oid)), tlv(0x0C, value.getBytes(StandardCharsets.UTF_8))));
    }

    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int shift = 63 - Long.numberOfLeadingZeros(v | 1);
            for (int s = shift / 7 * 7; s > 0; s -= 7) {
                out.write((int) (v >> s & 0x7F | 0x80));
            }
            out.write((int) (v & 0x7F));
        }
        return out.toByteArray();
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
