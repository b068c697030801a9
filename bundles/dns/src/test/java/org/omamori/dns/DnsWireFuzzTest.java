package org.omamori.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;

import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Fuzzes what the DNS filter does with a packet from the LAN before and around dnsjava's parse
 * ({@link #query}, as {@code DnsFilter.admit} and {@code handle} do it) and with an upstream
 * answer before it is cached and served again ({@link #response}, as {@code UpstreamClient} and
 * {@link AnswerCache} do it). {@link DnsWire} promises never to throw on bad input and to answer
 * -1, false or null instead; dnsjava's parse may refuse with an exception, which the filter turns
 * into FORMERR. Anything else thrown is a finding. Invariants:
 * <ul>
 * <li>query: a header-only answer is never larger than the query; the question end lies inside
 * the packet; the question the cache key and the upstream see is the question the filter
 * inspected: the name's bytes spell the name dnsjava parsed, and the key tells the question's
 * type and class apart byte for byte (only the name is case-folded);</li>
 * <li>response: TTL offsets lie inside the answer, after the question; a cached answer is served
 * with the asker's id and question, its length unchanged, no TTL above the cap.</li>
 * </ul>
 *
 * <p>The input is the packet. A plain {@code ./mvnw test} runs the seeds under
 * {@code src/test/resources/org/omamori/dns/DnsWireFuzzTestInputs/<method>/}; the build's fuzz
 * executions fuzz each method for a few seconds; longer runs: docs/fuzzing.md.
 */
class DnsWireFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void query(byte[] packet) {
        // DnsFilter.admit: shorter than a header or a response is dropped unanswered.
        if (packet.length < DnsWire.HEADER || DnsWire.isResponse(packet)) {
            return;
        }
        byte[] refused = DnsWire.headerOnly(packet, DnsWire.RCODE_REFUSED);
        if (refused.length > packet.length || DnsWire.id(refused) != DnsWire.id(packet) || !DnsWire.isResponse(refused)) {
            throw new AssertionError("header-only answer");
        }
        int questionEnd = DnsWire.questionEnd(packet, packet.length);
        if (questionEnd != -1 && (questionEnd < DnsWire.HEADER + 5 || questionEnd > packet.length)) {
            throw new AssertionError("question end " + questionEnd + " of " + packet.length);
        }
        // DnsFilter.handle
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return; // answered FORMERR
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return;
        }
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getCount(Section.QUESTION) != 1 || questionEnd < 0) {
            return;
        }
        // The name bytes between the header and the type, read alone, must be the name inspected:
        // the cache key and the upstream query are made of these bytes.
        Name alone;
        try {
            DNSInput in = new DNSInput(Arrays.copyOfRange(packet, DnsWire.HEADER, questionEnd - 4));
            alone = new Name(in);
            if (in.remaining() != 0) {
                throw new AssertionError("bytes after the question name");
            }
        } catch (IOException e) {
            throw new AssertionError("the question's name bytes do not spell a name on their own (" + e.getMessage()
                    + "), yet the filter inspected " + question.getName(), e);
        }
        if (!alone.equals(question.getName())) {
            throw new AssertionError("inspected " + question.getName() + " but the question's bytes spell " + alone);
        }
        String key = DnsWire.cacheKey(packet, questionEnd, false, false);
        int keyType = (key.charAt(key.length() - 5) << 8) | key.charAt(key.length() - 4);
        int keyClass = (key.charAt(key.length() - 3) << 8) | key.charAt(key.length() - 2);
        if (keyType != question.getType() || keyClass != question.getDClass()) {
            throw new AssertionError("cache key of type " + keyType + " class " + keyClass + " for a question of type "
                    + question.getType() + " class " + question.getDClass());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void response(byte[] answer) {
        if (answer.length < DnsWire.HEADER) {
            return;
        }
        DnsWire.Ttls ttls = DnsWire.ttls(answer, answer.length);
        int questionEnd = DnsWire.questionEnd(answer, answer.length);
        if (ttls != null) {
            for (int at : ttls.ttlOffsets()) {
                if (at < questionEnd || at + 4 > answer.length) {
                    throw new AssertionError("TTL offset " + at + " in " + answer.length + " bytes");
                }
            }
            if (ttls.lifetime() < -1 || ttls.lifetime() > 0xffffffffL) {
                throw new AssertionError("lifetime " + ttls.lifetime());
            }
        }
        if (questionEnd < 0 || !DnsWire.isResponse(answer)) {
            return;
        }
        // The query this answers: its question, QR clear, another id; as UpstreamClient checks it.
        byte[] query = Arrays.copyOf(answer, questionEnd);
        query[2] &= 0x7f;
        DnsWire.setId(query, DnsWire.id(answer) ^ 0x5a5a);
        if (!DnsWire.sameQuestion(query, questionEnd, answer, questionEnd)) {
            throw new AssertionError("a question differs from its own copy");
        }
        long[] now = {1_000_000_000L};
        AnswerCache cache = new AnswerCache(4, 3600, () -> now[0]);
        String key = DnsWire.cacheKey(query, questionEnd, false, false);
        cache.put(key, answer);
        now[0] += 2_000_000_000L;
        byte[] served = cache.get(key, query, questionEnd, 65_535);
        if (served == null) {
            return;
        }
        if (served.length != answer.length || DnsWire.id(served) != DnsWire.id(query)
                || !Arrays.equals(served, DnsWire.HEADER, questionEnd, query, DnsWire.HEADER, questionEnd)) {
            throw new AssertionError("served answer does not fit the query");
        }
        for (int at : ttls.ttlOffsets()) {
            if (DnsWire.u32(served, at) > 3600) {
                throw new AssertionError("served TTL " + DnsWire.u32(served, at) + " above the cap");
            }
        }
    }
}
