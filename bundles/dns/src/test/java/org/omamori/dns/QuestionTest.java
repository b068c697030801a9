package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The wire-level reading of the common query ({@link Question#readPlain}) against dnsjava's full
 * parse: the same question facts, the same block answers byte for byte, and everything unusual
 * left to the full parse.
 */
class QuestionTest {

    private static final List<DnsFilterSettings> SETTINGS;

    static {
        try {
            SETTINGS = List.of(
                    DnsFilterSettings.builder().blockMode(BlockMode.NXDOMAIN).build(),
                    DnsFilterSettings.defaults(),
                    DnsFilterSettings.builder().blockV4(InetAddress.getByName("192.0.2.7"))
                            .blockV6(InetAddress.getByName("2001:db8::7")).blockTtl(300).build());
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static byte[] query(String name, int type, int dclass, OPTRecord opt, boolean rd, int id) throws Exception {
        Message m = new Message(id);
        if (rd) {
            m.getHeader().setFlag(Flags.RD);
        }
        m.addRecord(Record.newRecord(Name.fromString(name), type, dclass), Section.QUESTION);
        if (opt != null) {
            m.addRecord(opt, Section.ADDITIONAL);
        }
        return m.toWire();
    }

    /** 0x20 randomisation (draft-vixie-dnsext-dns0x20): the case of each letter flipped at random. */
    private static String mixedCase(String name, SplittableRandom r) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append(Character.isLetter(c) && r.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    private static List<byte[]> plainQueries() throws Exception {
        SplittableRandom r = new SplittableRandom(18);
        List<byte[]> out = new ArrayList<>();
        String[] names = {"example.com.", "WWW.Example.COM.", "a.b.c.d.e.f.example.co.jp.", "_dmarc.example.org.",
                "xn--eckwd4c7c.xn--zckzah.", "x.", "deep-" + "a".repeat(57) + ".example.net.",
                "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61) + "."};
        int[] types = {Type.A, Type.AAAA, Type.MX, Type.TXT, Type.HTTPS, Type.ANY, 97};
        OPTRecord[] opts = {null, new OPTRecord(1232, 0, 0), new OPTRecord(4096, 0, 0, ExtendedFlags.DO),
                new OPTRecord(512, 0, 0, ExtendedFlags.DO), new OPTRecord(100, 0, 0), new OPTRecord(65535, 0, 0)};
        for (String name : names) {
            for (int type : types) {
                for (OPTRecord opt : opts) {
                    out.add(query(name, type, DClass.IN, opt, r.nextBoolean(), r.nextInt(65536)));
                    out.add(query(mixedCase(name, r), type, DClass.IN, opt, true, r.nextInt(65536)));
                }
            }
            out.add(query(name, Type.A, DClass.CH, null, true, 1));
            out.add(query(name, Type.A, DClass.ANY, null, true, 2));
        }
        return out;
    }

    @Test
    void theCommonQueryIsReadAsDnsjavaReadsIt() throws Exception {
        List<byte[]> queries = plainQueries();
        assertThat(queries).hasSizeGreaterThan(600);
        for (byte[] q : queries) {
            Question plain = Question.readPlain(q, q.length);
            assertThat(plain).as("plain query %s", new Message(q).getQuestion()).isNotNull();
            Question full = Question.of(new Message(q), DnsWire.questionEnd(q, q.length));
            assertThat(plain).isEqualTo(full);
        }
    }

    @Test
    void theBlockAnswerFromTheWireIsDnsjavasByteForByte() throws Exception {
        int compared = 0;
        for (byte[] q : plainQueries()) {
            Question plain = Question.readPlain(q, q.length);
            for (DnsFilterSettings settings : SETTINGS) {
                for (Transport transport : Transport.values()) {
                    byte[] fast = plain.blockAnswer(q, settings);
                    byte[] full = DnsFilter.blockAnswer(new Message(q), settings, plain.maxAnswerSize(transport));
                    assertThat(fast).as("%s, %s", new Message(q).getQuestion(), settings.blockMode()).isEqualTo(full);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(3_000);
    }

    @Test
    void whateverTheWirePathTakesDnsjavaReadsTheSame() throws Exception {
        // Random bytes flipped in plain queries: whenever the wire path still takes one, the full
        // parse must accept it too and see the same question (else the two paths would answer apart).
        SplittableRandom r = new SplittableRandom(1818);
        List<byte[]> seeds = plainQueries();
        int taken = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] q = seeds.get(r.nextInt(seeds.size())).clone();
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                q[r.nextInt(q.length)] = (byte) r.nextInt(256);
            }
            Question plain = Question.readPlain(q, q.length);
            if (plain == null) {
                continue;
            }
            taken++;
            Message full = new Message(q);
            assertThat(full.getHeader().getOpcode()).isEqualTo(Opcode.QUERY);
            assertThat(full.getHeader().getCount(Section.QUESTION)).isEqualTo(1);
            assertThat(Question.of(full, DnsWire.questionEnd(q, q.length))).as(java.util.HexFormat.of().formatHex(q)).isEqualTo(plain);
        }
        assertThat(taken).isGreaterThan(5_000); // 8,443 with this seed
    }

    @Test
    void anAddressAnswerCarriesTheBlockAddressAndTheClientsSpelling() throws Exception {
        byte[] q = query("PhIsH.Example.COM.", Type.A, DClass.IN, new OPTRecord(1232, 0, 0, ExtendedFlags.DO), true, 0x1234);
        Message answer = new Message(Question.readPlain(q, q.length).blockAnswer(q, SETTINGS.get(2)));
        assertThat(answer.getHeader().getID()).isEqualTo(0x1234);
        assertThat(answer.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(answer.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(answer.getQuestion().getName().toString()).isEqualTo("PhIsH.Example.COM.");
        assertThat(answer.getSection(Section.ANSWER)).singleElement()
                .satisfies(a -> assertThat(a.rdataToString()).isEqualTo("192.0.2.7"))
                .satisfies(a -> assertThat(a.getTTL()).isEqualTo(300));
        assertThat(answer.getOPT().getPayloadSize()).isEqualTo(1232);
    }

    @Test
    void everythingUnusualIsLeftToTheFullParse() throws Exception {
        List<byte[]> odd = new ArrayList<>();
        // Names that dnsjava escapes, the root, a compression pointer, a label past 63, cut-offs.
        odd.add(query("a\\.b.example.com.", Type.A, DClass.IN, null, true, 1));
        odd.add(query("sp\\032ace.example.com.", Type.A, DClass.IN, null, true, 1));
        odd.add(query("star*.example.com.", Type.A, DClass.IN, null, true, 1));
        odd.add(query("\\200utf8.example.com.", Type.A, DClass.IN, null, true, 1));
        odd.add(query(".", Type.NS, DClass.IN, null, true, 1));
        odd.add(new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 0x0c, 0, 1, 0, 1});
        odd.add(new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64, 'a', 0, 0, 1, 0, 1});
        byte[] plain = query("example.com.", Type.A, DClass.IN, null, true, 1);
        odd.add(java.util.Arrays.copyOf(plain, plain.length - 1));
        odd.add(java.util.Arrays.copyOf(plain, plain.length + 1)); // a trailing byte
        // EDNS options, two OPT records, other records, two questions, another opcode, a response.
        odd.add(query("example.com.", Type.A, DClass.IN,
                new OPTRecord(1232, 0, 0, ExtendedFlags.DO, List.of(new org.xbill.DNS.GenericEDNSOption(EDNSOption.Code.PADDING, new byte[8]))),
                true, 1));
        Message two = new Message(1);
        two.addRecord(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN), Section.QUESTION);
        two.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        two.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        odd.add(two.toWire());
        Message withAnswer = new Message(1);
        withAnswer.addRecord(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN), Section.QUESTION);
        withAnswer.addRecord(new org.xbill.DNS.ARecord(Name.fromString("example.com."), DClass.IN, 60,
                InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        odd.add(withAnswer.toWire());
        Message questions = new Message(1);
        questions.addRecord(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN), Section.QUESTION);
        questions.addRecord(Record.newRecord(Name.fromString("example.org."), Type.A, DClass.IN), Section.QUESTION);
        odd.add(questions.toWire());
        Message notify = new Message(1);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        notify.addRecord(Record.newRecord(Name.fromString("example.com."), Type.SOA, DClass.IN), Section.QUESTION);
        odd.add(notify.toWire());
        byte[] response = plain.clone();
        response[2] |= (byte) 0x80;
        odd.add(response);
        for (byte[] q : odd) {
            assertThat(Question.readPlain(q, q.length)).as("%s", java.util.HexFormat.of().formatHex(q)).isNull();
        }
        // A zone transfer is read, and refused by the filter as the full path refuses it.
        byte[] axfr = query("example.com.", Type.AXFR, DClass.IN, null, false, 1);
        assertThat(Question.readPlain(axfr, axfr.length).transfer()).isTrue();
    }
}
