package org.omamori.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    /** Small parameters so the tests run fast; the standard ones are tested once. */
    final PasswordHasher cheap = new PasswordHasher(new PasswordHasher.Params(64, 1, 1), new SecureRandom());

    @Test
    void rfc9106Argon2idTestVector() {
        // RFC 9106 §5.3: m=32 KiB, t=3, p=4, tag 32 bytes.
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);
        byte[] tag = PasswordHasher.argon2id(password, salt, new PasswordHasher.Params(32, 3, 4), secret, ad, 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void standardHashHasThePhcFormAndVerifies() {
        PasswordHasher standard = PasswordHasher.standard();
        String h = standard.hash("correct horse battery staple");
        assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(standard.verify("correct horse battery staple", h)).isTrue();
        assertThat(standard.verify("correct horse battery stapler", h)).isFalse();
        assertThat(standard.needsRehash(h)).isFalse();
    }

    @Test
    void rightPasswordVerifiesWrongOneDoesNot() {
        String h = cheap.hash("お守りパスワード2026");
        assertThat(cheap.verify("お守りパスワード2026", h)).isTrue();
        assertThat(cheap.verify("お守りパスワード2027", h)).isFalse();
        assertThat(cheap.verify("", h)).isFalse();
    }

    @Test
    void anUnknownUserIdNeverMatches() {
        assertThat(cheap.verifyNobody("any password")).isFalse();
        assertThat(cheap.verifyNobody("")).isFalse();
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        String a = cheap.hash("same password here");
        String b = cheap.hash("same password here");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.split("\\$")[4]).isNotEqualTo(b.split("\\$")[4]);
        assertThat(cheap.verify("same password here", a)).isTrue();
        assertThat(cheap.verify("same password here", b)).isTrue();
    }

    @Test
    void fullWidthAndHalfWidthTypingsAreTheSamePassword() {
        String h = cheap.hash("Omamori-2026");
        assertThat(cheap.verify("Ｏｍａｍｏｒｉ－２０２６", h)).isTrue();
    }

    @Test
    void oldParametersStillVerifyAndAskForARehash() {
        String old = cheap.hash("long enough password");
        PasswordHasher stronger = new PasswordHasher(new PasswordHasher.Params(128, 2, 1), new SecureRandom());
        assertThat(stronger.verify("long enough password", old)).isTrue();
        assertThat(stronger.needsRehash(old)).isTrue();
        assertThat(PasswordHasher.paramsOf(old)).contains(new PasswordHasher.Params(64, 1, 1));
        assertThat(stronger.needsRehash(stronger.hash("long enough password"))).isFalse();
    }

    @Test
    void malformedOrForeignHashesAreRefusedNotThrown() {
        String good = cheap.hash("some password!");
        for (String bad : new String[] {null, "", "plain", good.replace("argon2id", "argon2i"),
                good.replace("v=19", "v=16"), good.replace("m=64", "m=99999999"), good.substring(0, good.length() - 5) + "!!!!!",
                "$2a$10$abcdefghijklmnopqrstuu5Yv0CqT3H2mQ1d4.e4i7Q9q0Z4q5V2e"}) {
            assertThat(cheap.verify("some password!", bad)).as(String.valueOf(bad)).isFalse();
            assertThat(cheap.needsRehash(bad)).isTrue();
        }
    }

    @Test
    void parametersAreBounded() {
        assertThatThrownBy(() -> new PasswordHasher.Params(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher.Params(2 << 20, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher.Params(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
