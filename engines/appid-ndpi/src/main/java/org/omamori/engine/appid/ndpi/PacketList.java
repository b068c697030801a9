package org.omamori.engine.appid.ndpi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The synthetic IPv4 packets of one flow, as nDPI wants them (layer 3 on): the TCP handshake
 * and the first payload of each direction, or a UDP datagram each way. nDPI reads headers and
 * payload, not checksums, so none are computed. At most {@value #MAX_PACKETS} packets.
 */
public final class PacketList {

    static final int MAX_PACKETS = 8;
    /** The most payload one packet carries (the engine bounds what it gives to less). */
    public static final int MAX_PAYLOAD = 16 * 1024;

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final byte[] CLIENT_FALLBACK = {10, 0, 0, 1};
    private static final byte[] SERVER_FALLBACK = {(byte) 192, 0, 2, 1}; // TEST-NET-1: matches no network list

    private byte[] data = new byte[2048];
    private final int[] lengths = new int[MAX_PACKETS];
    private int count;
    private int size;

    private final byte[] client;
    private final byte[] server;
    private final int clientPort;
    private final int serverPort;
    private int clientSeq = 1000;
    private int serverSeq = 5000;

    private PacketList(InetAddress client, int clientPort, InetAddress server, int serverPort) {
        // nDPI also knows networks (e.g. a cloud's address ranges): real IPv4 addresses are kept;
        // IPv6 ones are replaced, the packets being IPv4.
        this.client = client instanceof Inet4Address ? client.getAddress() : CLIENT_FALLBACK;
        this.server = server instanceof Inet4Address ? server.getAddress() : SERVER_FALLBACK;
        this.clientPort = clientPort == 0 ? 49152 : clientPort;
        this.serverPort = serverPort;
    }

    /** A TCP connection: handshake, then {@code request} (and {@code response}, when not empty). */
    public static PacketList tcp(InetAddress client, int clientPort, InetAddress server, int serverPort,
                                 byte[] request, int requestLength, byte[] response, int responseLength) {
        return tcp(client, clientPort, server, serverPort, request, requestLength, response, responseLength, false);
    }

    /**
     * A TCP connection: handshake, then the first bytes of each direction that has any, the
     * server's first when {@code serverFirst} (a greeting or banner: SMTP, SSH, FTP).
     */
    public static PacketList tcp(InetAddress client, int clientPort, InetAddress server, int serverPort,
                                 byte[] request, int requestLength, byte[] response, int responseLength,
                                 boolean serverFirst) {
        PacketList p = new PacketList(client, clientPort, server, serverPort);
        p.tcpPacket(true, 0x02, null, 0);  // SYN
        p.tcpPacket(false, 0x12, null, 0); // SYN-ACK
        p.tcpPacket(true, 0x10, null, 0);  // ACK
        if (serverFirst && responseLength > 0) {
            p.tcpPacket(false, 0x18, response, responseLength);
        }
        if (requestLength > 0) {
            p.tcpPacket(true, 0x18, request, requestLength); // PSH-ACK
        }
        if (!serverFirst && responseLength > 0) {
            p.tcpPacket(false, 0x18, response, responseLength);
        }
        return p;
    }

    /** A UDP exchange: {@code request}, then {@code response} when not empty. */
    public static PacketList udp(InetAddress client, int clientPort, InetAddress server, int serverPort,
                                 byte[] request, int requestLength, byte[] response, int responseLength) {
        PacketList p = new PacketList(client, clientPort, server, serverPort);
        if (requestLength > 0) {
            p.udpPacket(true, request, requestLength);
        }
        if (responseLength > 0) {
            p.udpPacket(false, response, responseLength);
        }
        return p;
    }

    byte[] data() {
        return data;
    }

    int[] lengths() {
        return lengths;
    }

    public int count() {
        return count;
    }

    private void tcpPacket(boolean fromClient, int flags, byte[] payload, int length) {
        int n = Math.min(length, MAX_PAYLOAD);
        int at = begin(20 + 20 + n, TCP, fromClient);
        int seq = fromClient ? clientSeq : serverSeq;
        int ack = fromClient ? serverSeq : clientSeq;
        put16(at, fromClient ? clientPort : serverPort);
        put16(at + 2, fromClient ? serverPort : clientPort);
        put32(at + 4, seq);
        put32(at + 8, (flags & 0x10) != 0 ? ack : 0);
        data[at + 12] = 5 << 4; // data offset: 20 bytes, no options
        data[at + 13] = (byte) flags;
        put16(at + 14, 65535); // window
        if (n > 0) {
            System.arraycopy(payload, 0, data, at + 20, n);
        }
        int advance = n + ((flags & 0x02) != 0 ? 1 : 0); // SYN counts one
        if (fromClient) {
            clientSeq += advance;
        } else {
            serverSeq += advance;
        }
    }

    private void udpPacket(boolean fromClient, byte[] payload, int length) {
        int n = Math.min(length, MAX_PAYLOAD);
        int at = begin(20 + 8 + n, UDP, fromClient);
        put16(at, fromClient ? clientPort : serverPort);
        put16(at + 2, fromClient ? serverPort : clientPort);
        put16(at + 4, 8 + n);
        System.arraycopy(payload, 0, data, at + 8, n);
    }

    /** Writes the IPv4 header of a packet of {@code total} bytes; returns where its layer 4 starts. */
    private int begin(int total, int protocol, boolean fromClient) {
        if (count == MAX_PACKETS) {
            throw new IllegalStateException("too many packets");
        }
        if (size + total > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + total));
        }
        int at = size;
        Arrays.fill(data, at, at + total, (byte) 0);
        data[at] = 0x45; // version 4, 5 words
        put16(at + 2, total);
        data[at + 6] = 0x40; // don't fragment
        data[at + 8] = 64; // TTL
        data[at + 9] = (byte) protocol;
        System.arraycopy(fromClient ? client : server, 0, data, at + 12, 4);
        System.arraycopy(fromClient ? server : client, 0, data, at + 16, 4);
        lengths[count++] = total;
        size += total;
        return at + 20;
    }

    private void put16(int at, int v) {
        data[at] = (byte) (v >>> 8);
        data[at + 1] = (byte) v;
    }

    private void put32(int at, int v) {
        put16(at, v >>> 16);
        put16(at + 2, v);
    }
}
