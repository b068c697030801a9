package org.omamori.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HealthReportTest {

    static HealthCheck check(String name, boolean essential, Health health) {
        return new HealthCheck() {
            public String name() {
                return name;
            }

            public boolean essential() {
                return essential;
            }

            public Health check() {
                return health;
            }
        };
    }

    @Test
    void aFailingOtherCheckNamesItselfButLeavesTheEssentialsOk() {
        HealthReport r = HealthReport.of(List.of(check("uplink", false, Health.degraded("no answer from the cloud for 300 s")),
                check("spool", true, Health.ok())));

        assertThat(r.status()).isEqualTo("degraded");
        assertThat(r.essentialOk()).isTrue();
        assertThat(r.checks().get("uplink")).hasToString("degraded: no answer from the cloud for 300 s");
        assertThat(r.checks().keySet()).containsExactly("spool", "uplink");
    }

    @Test
    void aFailingEssentialCheckFailsTheEssentials() {
        HealthReport r = HealthReport.of(List.of(check("clamd", true, Health.degraded("clamd does not answer PING"))))
                .with("http", true, Health.ok());

        assertThat(r.essentialOk()).isFalse();
        assertThat(r.checks().keySet()).containsExactly("http", "clamd");
    }

    @Test
    void aCheckThatThrowsIsReportedNotPropagated() {
        HealthCheck broken = new HealthCheck() {
            public String name() {
                return "mail";
            }

            public boolean essential() {
                return false;
            }

            public Health check() {
                throw new IllegalStateException("boom");
            }
        };
        HealthReport r = HealthReport.of(List.of(broken));

        assertThat(r.checks().get("mail").reason()).isEqualTo("the check failed: IllegalStateException");
        assertThat(r.essentialOk()).isTrue();
    }
}
