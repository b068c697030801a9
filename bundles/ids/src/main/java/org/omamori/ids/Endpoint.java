package org.omamori.ids;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One side of a flow: an IPv6 address (IPv4 as its mapped form {@code ::ffff:a.b.c.d}) in two
 * longs, and a port. Cheap to hash and compare, made per packet without allocating an address.
 */
record Endpoint(long hi, long lo, int port) {

    static final long V4_MAPPED = 0xFFFFL << 32;

    boolean isV4() {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED;
    }

    InetAddress address() {
        byte[] bytes;
        if (isV4()) {
            int v = (int) lo;
            bytes = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        } else {
            bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (hi >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    /** The address for a URL: IPv6 in brackets. */
    String urlHost() {
        String text = address().getHostAddress();
        return isV4() ? text : "[" + text + "]";
    }

    @Override
    public String toString() {
        return urlHost() + ":" + port;
    }
}
