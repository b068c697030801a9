package org.omamori.engine.antispam.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.omamori.engine.antispam.rspamd.Rspamd;
import org.omamori.engine.antispam.rspamd.RspamdDaemon;
import org.omamori.metrics.Meters;

class RspamdHealthTest {

    @Test
    void upWhenTheRealRspamdAnswersDegradedWithTheReasonWhenNot() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (RspamdHealth up = new RspamdHealth(new Rspamd(RspamdDaemon.SHARED.start(), Duration.ofSeconds(2), 1024), Meters.isolated(),
                clock::get)) {
            assertThat(up.check().healthy()).isTrue();
            assertThat(up.essential()).isFalse();
            assertThat(up.name()).isEqualTo("rspamd");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (RspamdHealth down = new RspamdHealth(new Rspamd(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(1), 1024),
                Meters.isolated(), clock::get)) {
            assertThat(down.check().healthy()).isFalse();
            assertThat(down.check().reason()).contains("connection refused").contains("not scored for spam");
        }
    }
}
