package org.omamori.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Asks the upstream resolvers. Each UDP attempt uses a fresh socket on a random port and the
 * caller's random id, and takes only an answer from the server asked, with that id and the same
 * question (anything else is ignored until the time is up), so blind spoofing must guess both.
 * A truncated UDP answer is asked again over TCP when the asker wants the whole answer.
 */
final class UpstreamClient {

    private static final int MAX_UDP = 4096;

    private final List<InetSocketAddress> servers;
    private final int timeoutMillis;

    UpstreamClient(List<InetSocketAddress> servers, Duration timeout) {
        this.servers = List.copyOf(servers);
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    InetSocketAddress first() {
        return servers.getFirst();
    }

    /**
     * The answer to {@code query} (already carrying a fresh id), from the first server that
     * gives one; each server is tried once, a single server twice.
     *
     * @param questionEnd where the query's question ends
     * @param wantWhole   follow a truncated UDP answer with TCP (the asker came over TCP)
     * @throws IOException when no server answered
     */
    byte[] ask(byte[] query, int questionEnd, boolean wantWhole) throws IOException {
        int attempts = Math.max(2, servers.size());
        IOException last = null;
        for (int i = 0; i < attempts; i++) {
            InetSocketAddress server = servers.get(i % servers.size());
            try {
                byte[] answer = udp(server, query, questionEnd);
                if (DnsWire.truncated(answer) && wantWhole) {
                    answer = tcp(server, query, questionEnd);
                }
                return answer;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private byte[] udp(InetSocketAddress server, byte[] query, int questionEnd) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            socket.send(new DatagramPacket(query, query.length));
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            byte[] buf = new byte[MAX_UDP];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer from " + server + " in " + timeoutMillis + " ms");
                }
                socket.setSoTimeout((int) left);
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                socket.receive(packet);
                byte[] answer = java.util.Arrays.copyOf(buf, packet.getLength());
                if (matches(query, questionEnd, answer)) {
                    return answer;
                }
            }
        }
    }

    private byte[] tcp(InetSocketAddress server, byte[] query, int questionEnd) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] framed = new byte[query.length + 2];
            framed[0] = (byte) (query.length >>> 8);
            framed[1] = (byte) query.length;
            System.arraycopy(query, 0, framed, 2, query.length);
            out.write(framed);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            if (!matches(query, questionEnd, answer)) {
                throw new IOException("answer from " + server + " over TCP does not match the query");
            }
            return answer;
        }
    }

    private static boolean matches(byte[] query, int questionEnd, byte[] answer) {
        return answer.length >= DnsWire.HEADER
                && DnsWire.isResponse(answer)
                && DnsWire.id(answer) == DnsWire.id(query)
                && DnsWire.count(answer, 0) == 1
                && DnsWire.questionEnd(answer, answer.length) == questionEnd
                && DnsWire.sameQuestion(query, questionEnd, answer, questionEnd);
    }
}
