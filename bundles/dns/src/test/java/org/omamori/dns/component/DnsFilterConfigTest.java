package org.omamori.dns.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Zone;
import org.omamori.dns.DnsFilterSettings;

/** The component's configuration as FileInstall hands it over from a {@code .cfg} file. */
class DnsFilterConfigTest {

    @Test
    void listSettingsOnOneCfgLineGiveOneEntryEach() {
        DnsFilterSettings s = DnsFilterComponent.settingsOf(config(Map.of(
                "listen", new String[] {"lan=127.0.0.1:10053, ssid-secondary=127.0.0.2:10053"},
                "upstreams", new String[] {"192.0.2.1, [2001:db8::53]:5353"})));
        assertThat(s.listeners()).extracting(l -> l.zone()).containsExactly(Zone.LAN, Zone.SSID_SECONDARY);
        assertThat(s.upstreams()).extracting(a -> a.getPort()).containsExactly(53, 5353);
    }

    /** The configuration type with its defaults, {@code values} replacing some, as DS makes it. */
    private static DnsFilterConfig config(Map<String, Object> values) {
        return (DnsFilterConfig) Proxy.newProxyInstance(DnsFilterConfig.class.getClassLoader(), new Class<?>[] {DnsFilterConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
