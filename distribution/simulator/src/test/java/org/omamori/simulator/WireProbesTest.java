package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WireProbesTest {

    @Test
    void aClientHelloIsOneTlsHandshakeRecordNamingTheHost() throws Exception {
        ByteBuffer hello = WireProbes.clientHello("c2.omamori-test.example");
        assertThat(hello.get(0)).as("record type: handshake").isEqualTo((byte) 0x16);
        assertThat(hello.get(5)).as("handshake type: ClientHello").isEqualTo((byte) 1);
        assertThat(hello.remaining()).isEqualTo(5 + (hello.getShort(3) & 0xffff));
        assertThat(new String(hello.array(), 0, hello.limit(), StandardCharsets.ISO_8859_1)).contains("c2.omamori-test.example");
    }

    @Test
    void aDnsQueryAsksOneARecordByLabels() {
        byte[] q = WireProbes.dnsQuery(0x1234, "www.example.test");
        assertThat(q).startsWith(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0)
                .endsWith(3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1);
        assertThat(q).hasSize(12 + 18 + 4);
        assertThatThrownBy(() -> WireProbes.dnsQuery(1, "a..b")).hasMessageContaining("not a DNS name");
    }
}
