package org.omamori.ids;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Writes one synthetic TCP connection into a capture, keeping both sides' sequence numbers. */
final class TcpSession {

    private final CaptureWriter capture;
    private final InetAddress client;
    private final int clientPort;
    private final InetAddress server;
    private final int serverPort;
    private final int vlan;
    private int clientSeq = 0x7FFF_FF00; // close to a wrap, so sequence arithmetic is exercised
    private int serverSeq = 0xFFFF_FF00;

    TcpSession(CaptureWriter capture, String client, int clientPort, String server, int serverPort) {
        this(capture, client, clientPort, server, serverPort, 0);
    }

    TcpSession(CaptureWriter capture, String client, int clientPort, String server, int serverPort, int vlan) {
        this.capture = capture;
        this.client = Frames.ip(client);
        this.clientPort = clientPort;
        this.server = Frames.ip(server);
        this.serverPort = serverPort;
        this.vlan = vlan;
    }

    TcpSession handshake() {
        capture.add(Frames.tcp(client, clientPort, server, serverPort, clientSeq, 0, Frames.SYN, new byte[0], vlan));
        capture.add(Frames.tcp(server, serverPort, client, clientPort, serverSeq, clientSeq + 1, Frames.SYN | Frames.ACK, new byte[0], vlan));
        clientSeq++;
        serverSeq++;
        capture.add(Frames.tcp(client, clientPort, server, serverPort, clientSeq, serverSeq, Frames.ACK, new byte[0], vlan));
        return this;
    }

    /** The client's next segment, not yet added (to add out of order or twice). */
    byte[] clientSegment(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        byte[] frame = Frames.tcp(client, clientPort, server, serverPort, clientSeq, serverSeq, Frames.ACK | Frames.PSH, bytes, vlan);
        clientSeq += bytes.length;
        return frame;
    }

    byte[] serverSegment(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        byte[] frame = Frames.tcp(server, serverPort, client, clientPort, serverSeq, clientSeq, Frames.ACK | Frames.PSH, bytes, vlan);
        serverSeq += bytes.length;
        return frame;
    }

    TcpSession client(String... segments) {
        for (String s : segments) {
            capture.add(clientSegment(s));
        }
        return this;
    }

    TcpSession server(String... segments) {
        for (String s : segments) {
            capture.add(serverSegment(s));
        }
        return this;
    }

    TcpSession close() {
        capture.add(Frames.tcp(client, clientPort, server, serverPort, clientSeq, serverSeq, Frames.FIN | Frames.ACK, new byte[0], vlan));
        capture.add(Frames.tcp(server, serverPort, client, clientPort, serverSeq, clientSeq + 1, Frames.FIN | Frames.ACK, new byte[0], vlan));
        clientSeq++;
        serverSeq++;
        capture.add(Frames.tcp(client, clientPort, server, serverPort, clientSeq, serverSeq, Frames.ACK, new byte[0], vlan));
        return this;
    }
}
