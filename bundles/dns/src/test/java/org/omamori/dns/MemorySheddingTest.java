package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Past the memory budget the DNS filter answers REFUSED, counted, and answers again after (docs/operations.md "Memory budget"). */
class MemorySheddingTest {

    /** A guard the test switches. */
    static final class Switch implements LoadShedding {
        final AtomicBoolean on = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public boolean shedding() {
            return on.get();
        }

        @Override
        public String reason() {
            return on.get() ? "resident 530 MB of the 512 MB budget (over 100 %)" : "";
        }

        @Override
        public void refused(String intake) {
            assertThat(intake).isEqualTo("dns");
            refused.incrementAndGet();
        }

        @Override
        public boolean awaitAccepting(Duration timeout) {
            return !on.get();
        }
    }

    @TempDir
    Path dir;
    private final Switch guard = new Switch();
    private Rig rig;

    @AfterEach
    void close() throws IOException {
        Shedding.uninstall(guard);
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void whileSheddingQueriesAreRefusedOverUdpAndTcpNotForwardedAndCountedThenAnsweredAgain() throws IOException {
        rig = new Rig(Rig.lists(dir.resolve("lists"), new String[] {"evil.test"}, new String[] {"news.test"}),
                new TestUpstream().a("www.fine.test", "192.0.2.10", 300),
                DnsFilterSettings.builder().blockV4(InetAddress.getByName("192.0.2.99")));
        Shedding.install(guard);
        guard.on.set(true);
        try (StubClient client = new StubClient(rig.udp())) {
            Message refused = client.ask("www.fine.test", Type.A);
            assertThat(refused.getRcode()).isEqualTo(Rcode.REFUSED);
            assertThat(client.ask("www.evil.test", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
            assertThat(StubClient.tcp(rig.tcp(), StubClient.query("www.fine.test", Type.A, 77))[0].getRcode()).isEqualTo(Rcode.REFUSED);
            assertThat(rig.upstream.asked("www.fine.test")).isZero();
            assertThat(guard.refused.get()).isEqualTo(3);

            guard.on.set(false);
            Message answered = client.ask("www.fine.test", Type.A);
            assertThat(answered.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(rig.upstream.asked("www.fine.test")).isEqualTo(1);
        }
        assertThat(guard.refused.get()).isEqualTo(3);
    }
}
