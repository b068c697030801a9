package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {

    private static String v6(String s) {
        byte[] a = IpLiteral.parseIpv6(s);
        return a == null ? null : IpLiteral.formatIpv6(a);
    }

    @Test
    void ipv6IsWrittenAsRfc5952Says() {
        assertThat(v6("2001:0DB8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
        assertThat(v6("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(v6("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(v6("::")).isEqualTo("::");
        assertThat(v6("::1")).isEqualTo("::1");
        assertThat(v6("fe80::")).isEqualTo("fe80::");
        assertThat(v6("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(v6("64:ff9b::192.0.2.1")).isEqualTo("64:ff9b::c000:201");
    }

    @Test
    void malformedIpv6IsRefused() {
        assertThat(v6("2001:db8::1::2")).isNull();
        assertThat(v6("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(v6("12345::")).isNull();
        assertThat(v6(":1")).isNull();
        assertThat(v6("1:")).isNull();
        assertThat(v6("fe80::1%eth0")).isNull();
        assertThat(v6("::1.2.3")).isNull();
        assertThat(v6("１::")).isNull();
    }

    @Test
    void ipv4FollowsTheRulesBrowsersUse() {
        assertThat(IpLiteral.parseIpv4("192.0.2.1")).isEqualTo(0xC0000201L);
        assertThat(IpLiteral.parseIpv4("0xc0.0.2.1")).isEqualTo(0xC0000201L);
        assertThat(IpLiteral.parseIpv4("0300.0.2.1")).isEqualTo(0xC0000201L);
        assertThat(IpLiteral.parseIpv4("3221225985")).isEqualTo(0xC0000201L);
        assertThat(IpLiteral.parseIpv4("192.513")).isEqualTo(0xC0000201L);
        assertThat(IpLiteral.parseIpv4("256.0.0.1")).isEqualTo(-1);
        assertThat(IpLiteral.parseIpv4("1.2.3.4.5")).isEqualTo(-1);
        assertThat(IpLiteral.parseIpv4("4294967296")).isEqualTo(-1);
        assertThat(IpLiteral.parseIpv4("09.1.1.1")).isEqualTo(-1);
        assertThat(IpLiteral.formatIpv4(0xC0000201L)).isEqualTo("192.0.2.1");
    }
}
