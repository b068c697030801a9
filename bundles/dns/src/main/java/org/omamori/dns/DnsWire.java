package org.omamori.dns;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level reading and patching of DNS messages (RFC 1035 §4) where a full parse would be
 * wasted: header fields, the end of the question, TTL positions. Every method checks bounds and
 * answers -1 (or false) for a message it cannot walk, never throws on bad input.
 */
final class DnsWire {

    static final int HEADER = 12;
    static final int RCODE_NOERROR = 0;
    static final int RCODE_FORMERR = 1;
    static final int RCODE_SERVFAIL = 2;
    static final int RCODE_NXDOMAIN = 3;
    static final int RCODE_NOTIMP = 4;
    static final int RCODE_REFUSED = 5;
    private static final int TYPE_SOA = 6;
    private static final int TYPE_OPT = 41;

    private DnsWire() {
    }

    static int id(byte[] p) {
        return ((p[0] & 0xff) << 8) | (p[1] & 0xff);
    }

    static void setId(byte[] p, int id) {
        p[0] = (byte) (id >>> 8);
        p[1] = (byte) id;
    }

    static boolean isResponse(byte[] p) {
        return (p[2] & 0x80) != 0;
    }

    static boolean truncated(byte[] p) {
        return (p[2] & 0x02) != 0;
    }

    static int rcode(byte[] p) {
        return p[3] & 0x0f;
    }

    /** Count of a section: 0 question, 1 answer, 2 authority, 3 additional. */
    static int count(byte[] p, int section) {
        int at = 4 + 2 * section;
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    /**
     * A header-only answer: the query's id, opcode and RD flag, QR and RA set, the rcode given,
     * every count zero. Never larger than the query, so it amplifies nothing.
     */
    static byte[] headerOnly(byte[] query, int rcode) {
        byte[] r = new byte[HEADER];
        r[0] = query[0];
        r[1] = query[1];
        r[2] = (byte) (0x80 | (query[2] & 0x78) | (query[2] & 0x01));
        r[3] = (byte) (0x80 | (rcode & 0x0f));
        return r;
    }

    /** The offset after the name at {@code off}, or -1 when it runs past {@code end} or is not a name. */
    static int skipName(byte[] p, int off, int end) {
        int at = off;
        while (at < end) {
            int len = p[at] & 0xff;
            if (len == 0) {
                return at + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return at + 2 <= end ? at + 2 : -1;
            }
            if ((len & 0xc0) != 0) {
                return -1;
            }
            at += 1 + len;
        }
        return -1;
    }

    /**
     * The offset after the first question (name, type, class), or -1. The name must be spelled out
     * label by label: a compression pointer there could only point back into the header, so the
     * name would change with the message id (which the filter rewrites before forwarding) while
     * the question's own bytes, which the cache key and the answer check compare, stay the same.
     */
    static int questionEnd(byte[] p, int length) {
        if (length < HEADER || count(p, 0) < 1) {
            return -1;
        }
        int at = HEADER;
        while (at < length) {
            int len = p[at] & 0xff;
            if (len == 0) {
                return at + 5 <= length ? at + 5 : -1;
            }
            if ((len & 0xc0) != 0) {
                return -1;
            }
            at += 1 + len;
        }
        return -1;
    }

    /**
     * Whether two messages ask the same first question: the name compared without regard to ASCII
     * case, type and class byte for byte (a type of 65, HTTPS, is not 97).
     */
    static boolean sameQuestion(byte[] a, int aEnd, byte[] b, int bEnd) {
        if (aEnd != bEnd || aEnd < HEADER + 5 || a.length < aEnd || b.length < bEnd) {
            return false;
        }
        int nameEnd = aEnd - 4;
        for (int i = HEADER; i < aEnd; i++) {
            if (i < nameEnd ? lower(a[i]) != lower(b[i]) : a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    /**
     * The cache key of a query: its question with the name in lower case (type and class as they
     * are: folding them would make HTTPS, type 65, the same key as type 97), and the flags that
     * change the answer (CD, EDNS present, DO).
     */
    static String cacheKey(byte[] query, int questionEnd, boolean edns, boolean dnssecOk) {
        int size = questionEnd - HEADER + 1;
        byte[] k = scratch(size);
        int nameEnd = questionEnd - 4;
        for (int i = HEADER; i < questionEnd; i++) {
            k[i - HEADER] = i < nameEnd ? lower(query[i]) : query[i];
        }
        boolean cd = (query[3] & 0x10) != 0;
        k[size - 1] = (byte) ((cd ? 1 : 0) | (edns ? 2 : 0) | (dnssecOk ? 4 : 0));
        return new String(k, 0, size, StandardCharsets.ISO_8859_1);
    }

    private static final int SCRATCH = 512;
    private static final ThreadLocal<byte[]> SCRATCHES = ThreadLocal.withInitial(() -> new byte[SCRATCH]);

    /**
     * Bytes to spell a string in before the {@code String} copies them, at least {@code size}: the
     * thread's own on a platform thread (the receiving threads: a name and a cache key per query
     * without an array of their own), a new array on a virtual thread or when larger. Not kept
     * past the method that asked for it.
     */
    static byte[] scratch(int size) {
        return size <= SCRATCH && !Thread.currentThread().isVirtual() ? SCRATCHES.get() : new byte[size];
    }

    /**
     * What a response says about its own lifetime.
     *
     * @param ttlOffsets where each record's TTL is (OPT records left out)
     * @param lifetime   seconds it may be cached: the smallest TTL of an answer; for NXDOMAIN
     *                   and empty answers the SOA's negative TTL (RFC 2308); -1 when it must not be cached
     */
    record Ttls(int[] ttlOffsets, long lifetime) {
    }

    /** Walks a response's records; null when the response cannot be walked. */
    static Ttls ttls(byte[] p, int length) {
        int qEnd = questionEnd(p, length);
        if (qEnd < 0 || count(p, 0) != 1) {
            return null;
        }
        int records = count(p, 1) + count(p, 2) + count(p, 3);
        int answers = count(p, 1);
        int authorityEnd = answers + count(p, 2);
        int[] offsets = new int[records];
        int n = 0;
        long minTtl = Long.MAX_VALUE;
        long negative = -1;
        int at = qEnd;
        for (int r = 0; r < records; r++) {
            int nameEnd = skipName(p, at, length);
            if (nameEnd < 0 || nameEnd + 10 > length) {
                return null;
            }
            int type = u16(p, nameEnd);
            long ttl = u32(p, nameEnd + 4);
            int rdLength = u16(p, nameEnd + 8);
            int rdEnd = nameEnd + 10 + rdLength;
            if (rdEnd > length) {
                return null;
            }
            if (type == TYPE_OPT && r < authorityEnd) {
                return null; // OPT belongs in the additional section only (RFC 6891 6.1.1)
            }
            if (type != TYPE_OPT) {
                offsets[n++] = nameEnd + 4;
                minTtl = Math.min(minTtl, ttl);
                if (type == TYPE_SOA && r >= answers && r < authorityEnd && rdLength >= 20) {
                    long minimum = u32(p, rdEnd - 4);
                    negative = Math.min(ttl, minimum);
                }
            }
            at = rdEnd;
        }
        int[] trimmed = java.util.Arrays.copyOf(offsets, n);
        int rcode = rcode(p);
        long lifetime;
        if (rcode == RCODE_NOERROR && answers > 0) {
            lifetime = minTtl == Long.MAX_VALUE ? -1 : minTtl;
        } else if (rcode == RCODE_NXDOMAIN || rcode == RCODE_NOERROR) {
            lifetime = negative;
        } else {
            lifetime = -1;
        }
        return new Ttls(trimmed, lifetime);
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static long u32(byte[] p, int at) {
        return ((long) (p[at] & 0xff) << 24) | ((p[at + 1] & 0xff) << 16) | ((p[at + 2] & 0xff) << 8) | (p[at + 3] & 0xff);
    }

    static void putU32(byte[] p, int at, long v) {
        p[at] = (byte) (v >>> 24);
        p[at + 1] = (byte) (v >>> 16);
        p[at + 2] = (byte) (v >>> 8);
        p[at + 3] = (byte) v;
    }
}
