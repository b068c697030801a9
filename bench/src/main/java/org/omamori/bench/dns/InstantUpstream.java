package org.omamori.bench.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An upstream that answers at once: every A query gets 192.0.2.1 (TTL 300), built from the
 * query's bytes without a parser, on one thread. The same server serves the baseline and the filter.
 */
public final class InstantUpstream implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;

    public InstantUpstream() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        thread = Thread.ofPlatform().daemon().name("instant-upstream").start(this::serve);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        byte[] in = new byte[4096];
        byte[] out = new byte[4096 + 16];
        DatagramPacket p = new DatagramPacket(in, in.length);
        while (!socket.isClosed()) {
            try {
                p.setData(in);
                socket.receive(p);
                int n = answer(in, p.getLength(), out);
                if (n > 0) {
                    socket.send(new DatagramPacket(out, n, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed
            }
        }
    }

    /** Header and question of the query, then one A record pointing at the question name. */
    static int answer(byte[] q, int length, byte[] out) {
        if (length < 12) {
            return 0;
        }
        int at = 12;
        while (at < length && q[at] != 0) {
            at += (q[at] & 0xff) + 1;
        }
        int questionEnd = at + 5;
        if (questionEnd > length) {
            return 0;
        }
        System.arraycopy(q, 0, out, 0, questionEnd);
        out[2] = (byte) (0x84 | (q[2] & 0x01)); // QR, AA, RD as asked
        out[3] = (byte) 0x80;                   // RA, NOERROR
        out[4] = 0; out[5] = 1;                 // one question
        out[6] = 0; out[7] = 1;                 // one answer
        out[8] = 0; out[9] = 0; out[10] = 0; out[11] = 0;
        byte[] rr = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, (byte) 192, 0, 2, 1};
        System.arraycopy(rr, 0, out, questionEnd, rr.length);
        return questionEnd + rr.length;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(1000);
    }
}
