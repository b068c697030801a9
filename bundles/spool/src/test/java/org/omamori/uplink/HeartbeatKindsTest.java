package org.omamori.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The kinds a heartbeat's answer may name (docs/api/uplink.yaml): a key rotation ('keys') among them, unknown names dropped. */
class HeartbeatKindsTest {

    @Test
    void aKeyRotationIsAKindTheHeartbeatMayName() {
        assertThat(CloudClient.kinds("keys")).containsExactly("keys");
        assertThat(CloudClient.kinds("urlfilter, keys,rootkit")).containsExactly("keys", "urlfilter");
        assertThat(CloudClient.kinds(42)).isEmpty();
        assertThat(CloudClient.kinds("x".repeat(201))).isEmpty();
    }
}
