package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** What the fuzz targets of {@link DnsWireFuzzTest} found in the question handling. */
class DnsWireTest {

    private static byte[] query(int id, String name, int type) {
        ByteBuffer q = ByteBuffer.allocate(512);
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            q.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        q.put((byte) 0).putShort((short) type).putShort((short) 1);
        return java.util.Arrays.copyOf(q.array(), q.position());
    }

    @Test
    void cacheKeyAndAnswerCheckKeepTypeAndClassApart() {
        byte[] https = query(1, "www.example.com", 65);
        byte[] type97 = query(2, "WWW.Example.com", 97);
        int end = DnsWire.questionEnd(https, https.length);
        assertThat(DnsWire.questionEnd(type97, type97.length)).isEqualTo(end);
        // A LAN client asking type 97 must not fill the cache entry other clients' HTTPS queries use.
        assertThat(DnsWire.cacheKey(https, end, false, false)).isNotEqualTo(DnsWire.cacheKey(type97, end, false, false));
        assertThat(DnsWire.sameQuestion(https, end, type97, end)).isFalse();
        // The name still compares without regard to case.
        byte[] upper = query(3, "WWW.EXAMPLE.COM", 65);
        assertThat(DnsWire.cacheKey(https, end, false, false)).isEqualTo(DnsWire.cacheKey(upper, end, false, false));
        assertThat(DnsWire.sameQuestion(https, end, upper, end)).isTrue();
    }

    @Test
    void aKeyAfterALongerOneHoldsOnlyItsOwnQuestionOnEveryKindOfThread() throws Exception {
        byte[] longer = query(1, "a-rather-long-label.and-another-one.example.com", 1);
        byte[] shorter = query(2, "Ex.JP", 1);
        int longEnd = DnsWire.questionEnd(longer, longer.length);
        int shortEnd = DnsWire.questionEnd(shorter, shorter.length);
        String first = DnsWire.cacheKey(longer, longEnd, true, true);
        String key = DnsWire.cacheKey(shorter, shortEnd, false, true); // in the bytes the longer key left behind
        assertThat(first).hasSize(longEnd - DnsWire.HEADER + 1);
        assertThat(key).hasSize(shortEnd - DnsWire.HEADER + 1).startsWith("\u0002ex\u0002jp\u0000").endsWith("\u0004");
        String[] onVirtual = new String[1];
        Thread.ofVirtual().start(() -> onVirtual[0] = DnsWire.cacheKey(shorter, shortEnd, false, true)).join();
        assertThat(onVirtual[0]).isEqualTo(key);
        assertThat(DnsWire.cacheKey(longer, longEnd, true, true)).isEqualTo(first);
    }

    @Test
    void aCompressionPointerInTheQuestionIsNoQuestion() {
        // Id 0x0361, flags 0x0100: a pointer to offset 0 spells the name "a\001\000." out of the
        // header, which changes when the id is rewritten for the upstream.
        byte[] q = {0x03, 0x61, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 0x00, 0, 1, 0, 1};
        assertThat(DnsWire.questionEnd(q, q.length)).isEqualTo(-1);
        byte[] plain = query(7, "example.org", 1);
        assertThat(DnsWire.questionEnd(plain, plain.length)).isEqualTo(plain.length);
        assertThat(DnsWire.questionEnd(plain, plain.length - 1)).isEqualTo(-1);
    }

    @Test
    void anOptRecordOutsideTheAdditionalSectionIsNotCachedForever() {
        // The fuzzer's answer: one question, one "answer" that is an OPT pseudo-record. Its TTL
        // field is not a TTL, so it once left the lifetime at Long.MAX_VALUE.
        byte[] answer = java.util.Base64.getDecoder().decode("AAEAAAABAAEAAAAAAAACAAAAACkAAAAAAIMAAQA=");
        assertThat(DnsWire.ttls(answer, answer.length)).isNull();
        long[] now = {0};
        AnswerCache cache = new AnswerCache(4, 3600, () -> now[0]);
        cache.put("k", answer);
        assertThat(cache.size()).isZero();
    }
}
