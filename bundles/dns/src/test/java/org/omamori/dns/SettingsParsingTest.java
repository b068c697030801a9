package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Zone;

class SettingsParsingTest {

    @TempDir
    Path dir;

    @Test
    void aListenEntryNamesItsZoneAddressAndPort() throws IOException {
        Listener plain = Listener.parse("0.0.0.0:53");
        assertThat(plain.zone()).isEqualTo(Zone.LAN);
        assertThat(plain.address().getPort()).isEqualTo(53);
        Listener v6 = Listener.parse("ssid-secondary=[fd00::1]:5353");
        assertThat(v6.zone()).isEqualTo(Zone.SSID_SECONDARY);
        assertThat(v6.address().getAddress()).isEqualTo(InetAddress.getByName("fd00::1"));
        assertThat(v6.address().getPort()).isEqualTo(5353);
    }

    @Test
    void aListenEntryWithoutAPortOrWithANameIsRefusedSayingWhy() {
        assertThatThrownBy(() -> Listener.parse("lan=127.0.0.1")).hasMessageContaining("a port is required");
        assertThatThrownBy(() -> Listener.parse("lan=localhost:53")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Listener.parse("LAN=127.0.0.1:53")).hasMessageContaining("zone id");
        assertThatThrownBy(() -> Listener.parse("127.0.0.1:70000")).hasMessageContaining("port out of range");
    }

    @Test
    void upstreamsDefaultToTheFirstNameserverOfResolvConfThenToCloudflare() throws IOException {
        Path conf = Files.writeString(dir.resolve("resolv.conf"), "# comment\nsearch example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\n");
        assertThat(Upstreams.of(new String[0], conf)).extracting(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .containsExactly("192.0.2.53:53");
        assertThat(Upstreams.of(new String[0], dir.resolve("missing"))).containsExactly(Upstreams.FALLBACK);
        assertThat(Upstreams.of(new String[] {"9.9.9.9", "[2620:fe::fe]:5353"}, conf))
                .extracting(a -> a.getPort()).containsExactly(53, 5353);
    }

    @Test
    void blockModeAndOverLimitAreReadWithoutRegardToCase() {
        assertThat(BlockMode.parse("NXDOMAIN")).isEqualTo(BlockMode.NXDOMAIN);
        assertThat(OverLimit.parse(" drop ")).isEqualTo(OverLimit.DROP);
        assertThatThrownBy(() -> BlockMode.parse("sinkhole")).hasMessageContaining("'address' or 'nxdomain'");
    }
}
