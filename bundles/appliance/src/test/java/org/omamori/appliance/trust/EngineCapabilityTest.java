package org.omamori.appliance.trust;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineCapabilityTest {

    @Test
    void theHeaderBndWritesForAnEngineComponentDeclaresTheEngine() {
        assertThat(EngineCapability.declaredIn(
                "osgi.service;objectClass:List<String>=\"org.omamori.api.engine.Engine\";uses:=\"org.omamori.api.engine\"")).isTrue();
    }

    @Test
    void theEngineAmongSeveralServicesAndCapabilitiesCounts() {
        assertThat(EngineCapability.declaredIn("osgi.extender;osgi.extender=\"x\";version:Version=\"1\","
                + "osgi.service;objectClass:List<String>=\"java.lang.Runnable,org.omamori.api.engine.Engine\"")).isTrue();
    }

    @Test
    void otherServicesOrNamespacesDoNot() {
        assertThat(EngineCapability.declaredIn(null)).isFalse();
        assertThat(EngineCapability.declaredIn("osgi.service;objectClass:List<String>=\"org.omamori.api.pipeline.Pipeline\"")).isFalse();
        assertThat(EngineCapability.declaredIn("osgi.identity;objectClass=\"org.omamori.api.engine.Engine\"")).isFalse();
        assertThat(EngineCapability.declaredIn("osgi.service;objectClass:List<String>=\"org.omamori.api.engine.EngineX\"")).isFalse();
    }
}
