package org.omamori.engine.av.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;

/** What an appliance gets without configuring the antivirus: clamd's local socket in its home, else TCP. */
class AvDefaultsTest {

    private static final Path HOME = Path.of("/var/lib/omamori/appliance");

    /** The configuration as the framework hands it over: the annotation's defaults, with these values set. */
    static AvConfig config(Map<String, Object> set) {
        return (AvConfig) Proxy.newProxyInstance(AvConfig.class.getClassLoader(), new Class<?>[] {AvConfig.class},
                (proxy, method, args) -> set.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void theDefaultIsTheHomesSocketWithTcpBehindIt() {
        AvSettings settings = AvComponent.settings(config(Map.of()), HOME);
        assertThat(settings.clamd()).isEqualTo(ClamdAddress.localSocketOr(HOME.resolve("run/clamd/clamd.sock"),
                new ClamdAddress("127.0.0.1", 3399)));
        assertThat(settings.clamd().toString()).isEqualTo("unix:/var/lib/omamori/appliance/run/clamd/clamd.sock, else 127.0.0.1:3399");
    }

    @Test
    void noneForcesTcpAndAnExplicitSocketHasNoFallback() {
        assertThat(AvComponent.settings(config(Map.of("clamdSocket", "none", "clamdPort", 3412)), HOME).clamd())
                .isEqualTo(new ClamdAddress("127.0.0.1", 3412));
        assertThat(AvComponent.settings(config(Map.of("clamdSocket", "/run/clamav/clamd.ctl")), HOME).clamd())
                .isEqualTo(ClamdAddress.localSocket(Path.of("/run/clamav/clamd.ctl")));
        assertThat(AvComponent.settings(config(Map.of("clamdSocket", "run/clamd/clamd.sock")), HOME).clamd().fallback()).isNull();
    }
}
