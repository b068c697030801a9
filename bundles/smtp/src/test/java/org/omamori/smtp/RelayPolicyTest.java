package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class RelayPolicyTest {

    @Test
    void nothingConfiguredRelaysNothing() throws Exception {
        RelayPolicy none = RelayPolicy.none();
        assertThat(none.allows(InetAddress.getByName("127.0.0.1"), new MailAddress("a", "example.jp"))).isFalse();
    }

    @Test
    void domainsAreExactNames() throws Exception {
        RelayPolicy p = new RelayPolicy(List.of("Example.JP."), List.of());
        InetAddress internet = InetAddress.getByName("203.0.113.5");
        assertThat(p.allows(internet, new MailAddress("a", "example.jp"))).isTrue();
        assertThat(p.allows(internet, new MailAddress("a", "sub.example.jp"))).isFalse();
        assertThat(p.allows(internet, new MailAddress("a", "example.jp.evil.example"))).isFalse();
        assertThat(p.allows(internet, new MailAddress("a", "evil.example"))).isFalse();
        assertThatThrownBy(() -> new RelayPolicy(List.of("*"), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayPolicy(List.of("*.example.jp"), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayPolicy(List.of("[192.0.2.1]"), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void networksCannotMeanEveryone() throws Exception {
        RelayPolicy p = new RelayPolicy(List.of(), List.of("192.168.1.0/24", "2001:db8::/32"));
        assertThat(p.allows(InetAddress.getByName("192.168.1.20"), new MailAddress("a", "anywhere.example"))).isTrue();
        assertThat(p.allows(InetAddress.getByName("192.168.2.20"), new MailAddress("a", "anywhere.example"))).isFalse();
        assertThat(p.allows(InetAddress.getByName("2001:db8::1"), new MailAddress("a", "anywhere.example"))).isTrue();
        for (String open : List.of("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/7", "::/0", "2000::/3", "example.jp/24")) {
            assertThatThrownBy(() -> new RelayPolicy(List.of(), List.of(open))).as(open).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
