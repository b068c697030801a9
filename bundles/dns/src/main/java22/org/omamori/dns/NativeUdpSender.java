package org.omamori.dns;

import static org.omamori.dns.NativeUdp.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/** One thread's sending of single answers to an address (the forwards' answers). Confined to that thread. */
final class NativeUdpSender implements UdpBatching.Sender {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment capture = arena.allocate(C.capture());
    private final MemorySegment name = arena.allocate(NAME, 8);
    private final MemorySegment data;
    private final int max;

    NativeUdpSender(int max) {
        this.max = max;
        data = arena.allocate(max, 8);
    }

    @Override
    public void send(UdpBatching.Socket s, byte[] answer, InetSocketAddress to) throws IOException {
        NativeUdpSocket socket = (NativeUdpSocket) s;
        if (!socket.acquire()) {
            throw new ClosedChannelException();
        }
        try {
            int nameLength = encode(to, socket.family, name);
            if (answer.length <= max) {
                MemorySegment.copy(answer, 0, data, JAVA_BYTE, 0, answer.length);
                sendto(socket, capture, data, answer.length, name, nameLength);
            } else {
                try (Arena once = Arena.ofConfined()) {
                    MemorySegment big = once.allocate(answer.length);
                    MemorySegment.copy(answer, 0, big, JAVA_BYTE, 0, answer.length);
                    sendto(socket, capture, big, answer.length, name, nameLength);
                }
            }
        } finally {
            socket.release();
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
