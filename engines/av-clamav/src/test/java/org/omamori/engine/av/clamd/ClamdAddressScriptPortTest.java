package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ClamdAddress#LOCAL_DEFAULT}'s port follows {@code OMAMORI_CLAMD_PORT} as {@code scripts/clamd.sh} reads it. */
class ClamdAddressScriptPortTest {

    @Test
    void aPortTheScriptAcceptsIsTakenAnythingElseIsTheDefault() {
        assertThat(ClamdAddress.scriptPort("3500")).isEqualTo(3500);
        assertThat(ClamdAddress.scriptPort("65535")).isEqualTo(65535);
        assertThat(ClamdAddress.scriptPort(null)).isEqualTo(3399);
        assertThat(ClamdAddress.scriptPort("")).isEqualTo(3399); // ${OMAMORI_CLAMD_PORT:-3399}
        // The script refuses these and starts nothing: the default is as good a guess as any.
        assertThat(ClamdAddress.scriptPort("0")).isEqualTo(3399);
        assertThat(ClamdAddress.scriptPort("65536")).isEqualTo(3399);
        assertThat(ClamdAddress.scriptPort("33a")).isEqualTo(3399);
        assertThat(ClamdAddress.scriptPort(" 3500")).isEqualTo(3399);
        assertThat(ClamdAddress.scriptPort("999999999999")).isEqualTo(3399);
    }

    @Test
    void theProjectsClamdIsOnLoopback() {
        assertThat(ClamdAddress.LOCAL_DEFAULT.host()).isEqualTo("127.0.0.1");
        assertThat(ClamdAddress.LOCAL_DEFAULT.port()).isEqualTo(ClamdAddress.scriptPort(System.getenv("OMAMORI_CLAMD_PORT")));
    }
}
