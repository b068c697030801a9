package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The UDP listener's batched path (recvmmsg/sendmmsg, Linux) and its fallback, the DatagramChannel. */
class UdpBatchingTest {

    @TempDir
    Path dir;
    private Rig rig;

    @AfterEach
    void close() throws IOException {
        System.clearProperty(UdpListener.BATCHED_PROPERTY);
        if (rig != null) {
            rig.close();
        }
    }

    private Rig rig(boolean batched) throws IOException {
        if (rig != null) {
            rig.close();
        }
        System.setProperty(UdpListener.BATCHED_PROPERTY, Boolean.toString(batched));
        Path lists = Rig.lists(dir.resolve("lists-" + batched), new String[] {"evil.test"}, new String[] {"news.test"});
        TestUpstream upstream = new TestUpstream().a("www.fine.test", "192.0.2.10", 300);
        rig = new Rig(lists, upstream, DnsFilterSettings.builder().clientRate(0).clientInFlight(0).maxInFlight(100_000)
                .blockV4(InetAddress.getByName("192.0.2.99")).blockV6(InetAddress.getByName("2001:db8::99")));
        return rig;
    }

    private static boolean batchedHere() {
        return UdpListener.batchedUnavailable() == null;
    }

    @Test
    void onLinuxTheListenerTakesDatagramsInBatchesAndAnswersEveryQueryOfABurst() throws Exception {
        assumeTrue(batchedHere(), () -> "batched path unavailable: " + UdpListener.batchedUnavailable());
        Rig r = rig(true);
        assertThat(r.server.udpBatched()).isTrue();
        burst(r, 500);
        long[] b = r.server.udpBatches();
        assertThat(b[1]).as("datagrams received in batches").isGreaterThanOrEqualTo(500);
        assertThat(b[0]).as("batches (recvmmsg calls that returned datagrams)").isLessThan(b[1]);
    }

    @Test
    void theDatagramChannelPathIsTheFallbackAndAnswersTheSame() throws Exception {
        Rig r = rig(false);
        assertThat(r.server.udpBatched()).isFalse();
        burst(r, 200);
        assertThat(r.server.udpBatches()[1]).isZero();
    }

    /** Sends {@code n} queries (a blocked name, a cached allowed one) without waiting; every one is answered once, with its id. */
    private static void burst(Rig r, int n) throws Exception {
        try (StubClient warm = new StubClient(r.udp())) {
            assertThat(warm.ask("www.fine.test", Type.A).getRcode()).isEqualTo(Rcode.NOERROR); // now cached
        }
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setReceiveBufferSize(1 << 20);
            s.setSoTimeout(5_000);
            for (int i = 0; i < n; i++) {
                byte[] q = StubClient.query(i % 2 == 0 ? "www.evil.test" : "www.fine.test", Type.A, 1000 + i).toWire();
                s.send(new DatagramPacket(q, q.length, r.udp()));
            }
            Set<Integer> ids = new HashSet<>();
            byte[] buf = new byte[4096];
            for (int i = 0; i < n; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                Message m = new Message(Arrays.copyOf(buf, p.getLength()));
                assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
                int id = m.getHeader().getID();
                String expected = (id - 1000) % 2 == 0 ? "192.0.2.99" : "192.0.2.10";
                assertThat(m.getSectionArray(org.xbill.DNS.Section.ANSWER)[0].rdataToString()).isEqualTo(expected);
                assertThat(ids.add(id)).as("answer %d once", id).isTrue();
            }
            assertThat(ids).hasSize(n);
        }
    }

    /**
     * Datagrams longer than the buffer (cut to 4,096 bytes), empty, shorter than a header, from
     * both families' view: the batched path answers each exactly as the DatagramChannel path does,
     * and the server goes on answering.
     */
    @Test
    void oversizedEmptyAndShortDatagramsGetTheSameAnswersOnBothPaths() throws Exception {
        assumeTrue(batchedHere(), () -> "batched path unavailable: " + UdpListener.batchedUnavailable());
        List<byte[]> hostile = new ArrayList<>();
        byte[] query = StubClient.query("www.evil.test", Type.A, 4242).toWire();
        for (int size : new int[] {4095, 4096, 4097, 9000, 65_000}) {
            byte[] big = Arrays.copyOf(query, size); // a query and then zeros: longer than the buffer from 4,097
            big[5] = (byte) (size > 4096 ? 2 : 1); // past the buffer it promises a second question
            hostile.add(big);
        }
        hostile.add(new byte[0]);
        hostile.add(new byte[] {1, 2, 3});
        hostile.add(Arrays.copyOf(query, 11));
        List<String> channel = answers(rig(false), hostile);
        List<String> batched = answers(rig(true), hostile);
        assertThat(rig.server.udpBatched()).isTrue();
        assertThat(batched).isEqualTo(channel);
        assertThat(batched).contains("none"); // the empty and short ones
    }

    private static List<String> answers(Rig r, List<byte[]> packets) throws IOException {
        List<String> out = new ArrayList<>();
        try (StubClient client = new StubClient(r.udp(), "127.0.0.1", 500)) {
            for (byte[] p : packets) {
                byte[] a = client.raw(p);
                out.add(a == null ? "none" : a.length + " bytes, id " + DnsWire.id(a) + ", rcode " + DnsWire.rcode(a));
            }
            Message fine = client.ask("www.fine.test", Type.A);
            assertThat(fine.getRcode()).isEqualTo(Rcode.NOERROR);
        }
        return out;
    }

    private static Set<Thread> udpThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("dns-udp-")) {
                out.add(t);
            }
        }
        return out;
    }

    /** Closing the server ends its receiving threads and closes every descriptor: the port can be bound again. */
    @Test
    void aClosedListenerLeavesNoThreadAndNoSocketBehind() throws Exception {
        assumeTrue(batchedHere(), () -> "batched path unavailable: " + UdpListener.batchedUnavailable());
        Set<Thread> before = udpThreads();
        Rig r = rig(true);
        InetSocketAddress address = r.udp();
        Set<Thread> started = udpThreads();
        started.removeAll(before);
        assertThat(started).as("receiving and reply threads").isNotEmpty();
        try (StubClient client = new StubClient(address)) {
            assertThat(client.ask("www.evil.test", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        }
        r.close();
        rig = null;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started).noneMatch(Thread::isAlive));
        if (java.nio.file.Files.isReadable(Path.of("/proc/self/fdinfo"))) {
            assertThat(UdpSockets.flagsOfPort(address.getPort())).as("descriptors on port %d", address.getPort()).isEmpty();
        }
        try (DatagramSocket again = new DatagramSocket(address)) { // without SO_REUSEPORT: only if none is left
            assertThat(again.getLocalPort()).isEqualTo(address.getPort());
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(300);
            byte[] q = StubClient.query("www.evil.test", Type.A, 9).toWire();
            s.send(new DatagramPacket(q, q.length, address));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.receive(new DatagramPacket(new byte[512], 512)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }
}
