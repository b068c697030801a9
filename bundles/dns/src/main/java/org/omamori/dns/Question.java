package org.omamori.dns;

import java.nio.charset.StandardCharsets;

import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;

/**
 * What the filter needs of a query's question. {@link #readPlain} reads
 * the common query straight from the wire, without dnsjava: opcode QUERY, one question whose
 * name is spelled out in labels of letters, digits, '-' and '_', no other records but at most one
 * plain EDNS OPT record (no options), nothing after it. Anything else is null here and goes to the
 * full parse, so the answers stay those of the full parse byte for byte (tested); this path only
 * saves its objects. The name is the client's spelling, as {@code Name.toString(true)} gives it.
 *
 * The full path makes one from dnsjava's parse.
 *
 * @param questionEnd where the question ends (the OPT record, if any, follows)
 * @param ednsPayload the OPT record's UDP payload size, or -1 without EDNS
 */
record Question(String name, int type, int dclass, int questionEnd, int ednsPayload, boolean dnssecOk) {

    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_IXFR = 251;
    private static final int TYPE_AXFR = 252;
    private static final int TYPE_OPT = 41;
    private static final int CLASS_IN = 1;
    private static final int MAX_NAME = 255;
    /** The OPT record of every answer the filter makes itself: root name, type 41, payload 1232, no flags, no options. */
    private static final byte[] OPT = {0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 0};
    private static final int OPT_LENGTH = 11;
    /** Which bytes may stand in a label here: those {@code Name.toString} writes unescaped and the URL filter reads as they are. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            PLAIN[c] = true;
            PLAIN[c - 32] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            PLAIN[c] = true;
        }
        PLAIN['-'] = true;
        PLAIN['_'] = true;
    }

    boolean edns() {
        return ednsPayload >= 0;
    }

    /** Zone transfers are refused by the full path. */
    boolean transfer() {
        return type == TYPE_AXFR || type == TYPE_IXFR;
    }

    /** The largest answer the client takes: 512 or its EDNS size (at most 4096) over UDP, 65,535 over TCP. */
    int maxAnswerSize(Transport transport) {
        if (transport == Transport.TCP) {
            return 65_535;
        }
        return ednsPayload < 0 ? 512 : Math.max(512, Math.min(4096, ednsPayload));
    }

    /** The question of a query dnsjava parsed (one question, spelt out, ending at {@code questionEnd}). */
    static Question of(Message query, int questionEnd) {
        Record q = query.getQuestion();
        OPTRecord opt = query.getOPT();
        return new Question(q.getName().toString(true), q.getType(), q.getDClass(), questionEnd,
                opt == null ? -1 : opt.getPayloadSize(), opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0);
    }

    /** The query in {@code p[0, length)} if it is a plain one, else null (the caller parses it in full). */
    static Question readPlain(byte[] p, int length) {
        if (length < DnsWire.HEADER + 6 || (p[2] & 0xf8) != 0 // a response, or an opcode other than QUERY
                || DnsWire.count(p, 0) != 1 || DnsWire.count(p, 1) != 0 || DnsWire.count(p, 2) != 0 || DnsWire.count(p, 3) > 1) {
            return null;
        }
        int at = DnsWire.HEADER;
        int labels = 0;
        int total = 1; // the root label
        while (true) {
            if (at >= length) {
                return null;
            }
            int len = p[at] & 0xff;
            if (len == 0) {
                break;
            }
            if (len > 63 || at + 1 + len > length) {
                return null; // a pointer, an extended label type, or cut off
            }
            total += 1 + len;
            if (total > MAX_NAME) {
                return null;
            }
            for (int i = at + 1; i <= at + len; i++) {
                if (!PLAIN[p[i] & 0xff]) {
                    return null;
                }
            }
            labels++;
            at += 1 + len;
        }
        if (labels == 0 || at + 5 > length) {
            return null; // the root name is rare: the full path spells it
        }
        String name = name(p, total - 2);
        int type = DnsWire.u16(p, at + 1);
        int dclass = DnsWire.u16(p, at + 3);
        int questionEnd = at + 5;
        if (DnsWire.count(p, 3) == 0) {
            return questionEnd == length ? new Question(name, type, dclass, questionEnd, -1, false) : null;
        }
        if (length != questionEnd + OPT_LENGTH || p[questionEnd] != 0 || DnsWire.u16(p, questionEnd + 1) != TYPE_OPT
                || DnsWire.u16(p, questionEnd + 9) != 0) {
            return null;
        }
        boolean dnssecOk = (p[questionEnd + 7] & 0x80) != 0;
        return new Question(name, type, dclass, questionEnd, DnsWire.u16(p, questionEnd + 3), dnssecOk);
    }

    /** The name at offset 12, checked by {@link #readPlain}, as text: its labels joined by dots. */
    private static String name(byte[] p, int chars) {
        byte[] text = DnsWire.scratch(chars);
        int at = DnsWire.HEADER;
        int n = 0;
        for (int len = p[at] & 0xff; len != 0; len = p[at] & 0xff) {
            if (n > 0) {
                text[n++] = '.';
            }
            System.arraycopy(p, at + 1, text, n, len);
            n += len;
            at += 1 + len;
        }
        return new String(text, 0, chars, StandardCharsets.ISO_8859_1);
    }

    /**
     * The block answer the full path makes, from the query's own bytes: its id and RD flag, QR and RA,
     * its question as the client spelt it; NXDOMAIN, or the block address for A and AAAA of class
     * IN (NODATA for other types); the filter's own OPT record when the query had EDNS.
     */
    byte[] blockAnswer(byte[] query, DnsFilterSettings settings) {
        BlockMode mode = settings.blockMode();
        byte[] address = null;
        if (mode == BlockMode.ADDRESS && dclass == CLASS_IN) {
            address = type == TYPE_A ? settings.blockV4().getAddress() : type == TYPE_AAAA ? settings.blockV6().getAddress() : null;
        }
        int answerLength = address == null ? 0 : 12 + address.length;
        byte[] r = new byte[questionEnd + answerLength + (edns() ? OPT_LENGTH : 0)];
        System.arraycopy(query, 0, r, 0, questionEnd);
        r[2] = (byte) (0x80 | (query[2] & 0x01));
        r[3] = (byte) (0x80 | (mode == BlockMode.NXDOMAIN ? DnsWire.RCODE_NXDOMAIN : DnsWire.RCODE_NOERROR));
        r[7] = (byte) (address == null ? 0 : 1);
        r[9] = 0;
        r[11] = (byte) (edns() ? 1 : 0);
        int at = questionEnd;
        if (address != null) {
            r[at] = (byte) 0xc0; // the question's name, at offset 12
            r[at + 1] = DnsWire.HEADER;
            r[at + 3] = (byte) type;
            r[at + 5] = CLASS_IN;
            DnsWire.putU32(r, at + 6, settings.blockTtl());
            r[at + 11] = (byte) address.length;
            System.arraycopy(address, 0, r, at + 12, address.length);
            at += answerLength;
        }
        if (edns()) {
            System.arraycopy(OPT, 0, r, at, OPT_LENGTH);
        }
        return r;
    }
}
