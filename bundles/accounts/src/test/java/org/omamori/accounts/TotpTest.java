package org.omamori.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.omamori.accounts.Totp.Accepted;
import org.omamori.accounts.Totp.Reason;
import org.omamori.accounts.Totp.Rejected;

class TotpTest {

    static final byte[] RFC_SHA1_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238AppendixBSha1Vectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            long step = Totp.step(Instant.ofEpochSecond(times[i]));
            assertThat(Totp.code(RFC_SHA1_SECRET, step, 8, "HmacSHA1")).as("T=" + times[i]).isEqualTo(codes[i]);
            // Six digits are the same truncation, modulo 10^6.
            assertThat(Totp.code(RFC_SHA1_SECRET, step)).isEqualTo(codes[i].substring(2));
        }
    }

    @Test
    void rfc6238AppendixBOtherHashesShowTheTruncationIsGeneric() {
        byte[] s256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
        byte[] s512 = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);
        assertThat(Totp.code(s256, 1, 8, "HmacSHA256")).isEqualTo("46119246");
        assertThat(Totp.code(s512, 1, 8, "HmacSHA512")).isEqualTo("90693936");
    }

    @Test
    void rfc4226AppendixDHotpValuesWithSixDigits() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
        for (int counter = 0; counter < expected.length; counter++) {
            assertThat(Totp.code(RFC_SHA1_SECRET, counter)).isEqualTo(expected[counter]);
        }
    }

    @Test
    void acceptsTheCurrentStepAndOneEitherSideOnly() {
        Instant now = Instant.parse("2026-12-05T09:00:15Z");
        long step = Totp.step(now);
        for (long s = step - 1; s <= step + 1; s++) {
            assertThat(Totp.verify(RFC_SHA1_SECRET, Totp.code(RFC_SHA1_SECRET, s), now, Totp.NEVER))
                    .isEqualTo(new Accepted(s));
        }
        assertThat(Totp.verify(RFC_SHA1_SECRET, Totp.code(RFC_SHA1_SECRET, step - 2), now, Totp.NEVER))
                .isEqualTo(new Rejected(Reason.WRONG));
        assertThat(Totp.verify(RFC_SHA1_SECRET, Totp.code(RFC_SHA1_SECRET, step + 2), now, Totp.NEVER))
                .isEqualTo(new Rejected(Reason.WRONG));
    }

    @Test
    void aCodeIsAcceptedOnceAndEarlierStepsNeverAfterIt() {
        Instant now = Instant.parse("2026-12-05T09:00:15Z");
        long step = Totp.step(now);
        String code = Totp.code(RFC_SHA1_SECRET, step);
        Totp.Result first = Totp.verify(RFC_SHA1_SECRET, code, now, Totp.NEVER);
        assertThat(first).isEqualTo(new Accepted(step));
        long last = ((Accepted) first).step();
        assertThat(Totp.verify(RFC_SHA1_SECRET, code, now.plusSeconds(5), last)).isEqualTo(new Rejected(Reason.REPLAYED));
        // The previous step's code is still inside the skew window but older than the accepted one.
        assertThat(Totp.verify(RFC_SHA1_SECRET, Totp.code(RFC_SHA1_SECRET, step - 1), now, last))
                .isEqualTo(new Rejected(Reason.REPLAYED));
        // The next step's code is new.
        Instant later = now.plusSeconds(30);
        assertThat(Totp.verify(RFC_SHA1_SECRET, Totp.code(RFC_SHA1_SECRET, step + 1), later, last))
                .isEqualTo(new Accepted(step + 1));
    }

    @Test
    void typedFormsAreForgivingButNotLoose() {
        Instant now = Instant.ofEpochSecond(59);
        assertThat(Totp.verify(RFC_SHA1_SECRET, "287 082", now, Totp.NEVER)).isInstanceOf(Accepted.class);
        assertThat(Totp.verify(RFC_SHA1_SECRET, "２８７０８２", now, Totp.NEVER)).isInstanceOf(Accepted.class);
        for (String bad : new String[] {null, "", "28708", "2870823", "28708a", "94287082"}) {
            assertThat(Totp.verify(RFC_SHA1_SECRET, bad, now, Totp.NEVER)).as(String.valueOf(bad))
                    .isEqualTo(new Rejected(Reason.MALFORMED));
        }
    }

    @Test
    void enrolmentUriKeepsJapaneseLabelsAndTheSecret() {
        byte[] secret = Totp.newSecret(new SecureRandom());
        assertThat(secret).hasSize(20);
        String uri = Totp.enrolmentUri("Omamori お守り", "山田 太郎@example.jp", secret);
        assertThat(uri).startsWith("otpauth://totp/Omamori%20%E3%81%8A%E5%AE%88%E3%82%8A:")
                .contains("?secret=" + Base32.encode(secret) + "&issuer=Omamori%20%E3%81%8A%E5%AE%88%E3%82%8A")
                .endsWith("&algorithm=SHA1&digits=6&period=30")
                .doesNotContain(" ", "+");
        URI parsed = URI.create(uri);
        assertThat(parsed.getScheme()).isEqualTo("otpauth");
        assertThat(parsed.getHost()).isEqualTo("totp");
        assertThat(parsed.getPath()).isEqualTo("/Omamori お守り:山田 太郎@example.jp");
        String secretParam = parsed.getRawQuery().split("&")[0].substring("secret=".length());
        assertThat(Base32.decode(URLDecoder.decode(secretParam, StandardCharsets.UTF_8))).isEqualTo(secret);
        assertThatThrownBy(() -> Totp.enrolmentUri("a:b", "x", secret)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.enrolmentUri("Omamori", " ", secret)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void base32RoundTripsAndMatchesRfc4648() {
        String[][] vectors = {{"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
                {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
        for (String[] v : vectors) {
            assertThat(Base32.encode(v[0].getBytes(StandardCharsets.US_ASCII))).isEqualTo(v[1]);
            assertThat(Base32.decode(v[1])).isEqualTo(v[0].getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Base32.decode("mzxw 6ytb-oi======")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        byte[] secret = Totp.newSecret(new SecureRandom());
        assertThat(Base32.decode(Base32.encode(secret))).isEqualTo(secret);
        assertThat(Base32.encode(secret)).hasSize(32);
        assertThatThrownBy(() -> Base32.decode("MZXW1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a base32 character at position 4");
    }
}
