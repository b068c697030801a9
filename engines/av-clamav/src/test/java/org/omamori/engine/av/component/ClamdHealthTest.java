package org.omamori.engine.av.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.engine.av.clamd.ClamdLimits;
import org.omamori.metrics.Health;
import org.omamori.metrics.Meters;

class ClamdHealthTest {

    @Test
    void aClamdThatIsNotThereIsNamedAndShowsAsDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Meters meters = Meters.isolated();
        AtomicLong now = new AtomicLong();
        try (Clamd clamd = new Clamd(new ClamdAddress("127.0.0.1", closedPort), ClamdLimits.of(Duration.ofSeconds(1), 2, 1 << 20));
             ClamdHealth health = new ClamdHealth(clamd, meters, now::get)) {
            Health h = health.check();

            assertThat(h.healthy()).isFalse();
            assertThat(h.reason()).contains("127.0.0.1:" + closedPort).contains("does not answer PING");
            assertThat(health.essential()).isTrue();
            assertThat(meters.scrape()).contains("omamori_clamd_up 0.0");
            assertThat(health.check()).as("asked again within seconds: the same answer, no new ping").isSameAs(h);
        }
        assertThat(meters.scrape()).doesNotContain("omamori_clamd_up");
    }
}
