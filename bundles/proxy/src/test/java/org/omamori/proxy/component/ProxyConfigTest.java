package org.omamori.proxy.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.omamori.proxy.ProxySettings;

/** The component's configuration as FileInstall hands it over from a {@code .cfg} file. */
class ProxyConfigTest {

    @Test
    void listSettingsOnOneCfgLineGiveOneEntryEach() {
        ProxySettings s = ProxyComponent.settingsOf(config(Map.of(
                "connectPorts", new String[] {"443, 8443"},
                "httpPorts", new String[] {"80, 8000-8999"},
                "forbiddenNetworks", new String[] {"127.0.0.0/8, 169.254.0.0/16"},
                "allowedNetworks", new String[] {"127.0.0.2"})));
        assertThat(s.connectPorts().contains(8443)).isTrue();
        assertThat(s.connectPorts().contains(25)).isFalse();
        assertThat(s.httpPorts().contains(8080)).isTrue();
        assertThat(s.httpPorts().contains(9000)).isFalse();
        assertThat(s.destinations().forbidden()).hasSize(2);
        assertThat(s.destinations().allowed()).hasSize(1);
    }

    @Test
    void theComponentsDefaultsAreTheProxysDefaults() {
        ProxySettings s = ProxyComponent.settingsOf(config(Map.of()));
        assertThat(s.destinations()).isEqualTo(ProxySettings.DEFAULTS.destinations());
        assertThat(s.connectPorts()).hasToString(ProxySettings.DEFAULTS.connectPorts().toString());
        assertThat(s.httpPorts()).hasToString(ProxySettings.DEFAULTS.httpPorts().toString());
        assertThat(s.maxPerClient()).isEqualTo(ProxySettings.DEFAULTS.maxPerClient());
    }

    @Test
    void aBadEntryIsNamed() {
        assertThatThrownBy(() -> ProxyComponent.settingsOf(config(Map.of("connectPorts", new String[] {"443, https"}))))
                .hasMessageContaining("'https'");
        assertThatThrownBy(() -> ProxyComponent.settingsOf(config(Map.of("forbiddenNetworks", new String[] {"10.0.0.0/33"}))))
                .hasMessageContaining("10.0.0.0/33");
    }

    /** The configuration type with its defaults, {@code values} replacing some, as DS makes it. */
    private static ProxyConfig config(Map<String, Object> values) {
        return (ProxyConfig) Proxy.newProxyInstance(ProxyConfig.class.getClassLoader(), new Class<?>[] {ProxyConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
