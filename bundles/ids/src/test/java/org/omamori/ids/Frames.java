package org.omamori.ids;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds Ethernet frames (optionally 802.1Q-tagged) carrying IPv4 or IPv6 with TCP or UDP, for test captures. */
final class Frames {

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private Frames() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] tcp(InetAddress src, int sport, InetAddress dst, int dport, int seq, int ack, int flags, byte[] payload,
                      int vlan) {
        byte[] t = new byte[20 + payload.length];
        put16(t, 0, sport);
        put16(t, 2, dport);
        put32(t, 4, seq);
        put32(t, 8, ack);
        t[12] = 5 << 4;
        t[13] = (byte) flags;
        put16(t, 14, 65535);
        System.arraycopy(payload, 0, t, 20, payload.length);
        return ethernet(ipPacket(src, dst, 6, t), src instanceof java.net.Inet6Address, vlan);
    }

    static byte[] udp(InetAddress src, int sport, InetAddress dst, int dport, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        put16(u, 0, sport);
        put16(u, 2, dport);
        put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        return ethernet(ipPacket(src, dst, 17, u), src instanceof java.net.Inet6Address, 0);
    }

    static byte[] ipPacket(InetAddress src, InetAddress dst, int protocol, byte[] transport) {
        byte[] s = src.getAddress();
        byte[] d = dst.getAddress();
        if (s.length == 4) {
            byte[] p = new byte[20 + transport.length];
            p[0] = 0x45;
            put16(p, 2, p.length);
            p[6] = 0x40; // don't fragment
            p[8] = 64;
            p[9] = (byte) protocol;
            System.arraycopy(s, 0, p, 12, 4);
            System.arraycopy(d, 0, p, 16, 4);
            System.arraycopy(transport, 0, p, 20, transport.length);
            return p;
        }
        byte[] p = new byte[40 + transport.length];
        p[0] = 0x60;
        put16(p, 4, transport.length);
        p[6] = (byte) protocol;
        p[7] = 64;
        System.arraycopy(s, 0, p, 8, 16);
        System.arraycopy(d, 0, p, 24, 16);
        System.arraycopy(transport, 0, p, 40, transport.length);
        return p;
    }

    static byte[] ethernet(byte[] ip, boolean v6, int vlan) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x02, 0, 0, 0, 0, 0x01}); // destination
        out.writeBytes(new byte[] {0x02, 0, 0, 0, 0, 0x02}); // source
        if (vlan > 0) {
            out.write(0x81);
            out.write(0x00);
            out.write(vlan >> 8);
            out.write(vlan);
        }
        out.write(v6 ? 0x86 : 0x08);
        out.write(v6 ? 0xDD : 0x00);
        out.writeBytes(ip);
        return out.toByteArray();
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** A DNS query message for one name (type A). */
    static byte[] dnsQuery(int id, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >> 8);
        out.write(id);
        out.writeBytes(new byte[] {0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}); // RD, one question
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return out.toByteArray();
    }
}
