package org.omamori.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

class ZoneMatrixTest {

    static final List<Zone> ZONES = List.of(Zone.WAN, Zone.LAN, Zone.SSID_PRIMARY, Zone.SSID_SECONDARY);

    @Test
    void seed000TableInspectsEveryPairOfDifferentZonesAndNothingWithinOne() {
        for (Zone from : ZONES) {
            for (Zone to : ZONES) {
                assertThat(ZoneMatrix.DEFAULT.inspects(new ZonePair(from, to))).as(from + "->" + to).isEqualTo(!from.equals(to));
            }
        }
    }

    @Test
    void exceptionsAreConfigurableAndNeverWins() {
        ZoneMatrix m = new ZoneMatrix(false, true, ZoneMatrix.pairs("lan->lan", "inspectedPairs"),
                ZoneMatrix.pairs("ssid-secondary->ssid-primary, lan->lan", "notInspectedPairs"));
        assertThat(m.inspects(new ZonePair(Zone.LAN, Zone.LAN))).isFalse();
        assertThat(m.inspects(new ZonePair(Zone.SSID_SECONDARY, Zone.SSID_PRIMARY))).isFalse();
        assertThat(m.inspects(new ZonePair(Zone.SSID_PRIMARY, Zone.SSID_SECONDARY))).isTrue();
        assertThatThrownBy(() -> ZoneMatrix.pairs("lan-wan", "inspectedPairs")).hasMessageContaining("inspectedPairs: 'lan-wan'");
        assertThatThrownBy(() -> ZoneMatrix.pairs("LAN->W@N", "x")).hasMessageContaining("zone id");
    }

    @Test
    void thePipelineAsksNoEngineForAPairItDoesNotInspect() throws Exception {
        try (InspectionPipeline pipeline = new InspectionPipeline(
                new PipelineSettings(Duration.ofSeconds(1), FailurePolicy.OPEN, Duration.ofSeconds(1)))) {
            pipeline.addEngine(InspectionPipelineTest.fixed("ips", Verdict.block(new Finding("sid:1", "x", Level.HIGH, 100)), SecurityFunction.IPS));
            InetAddress a = InetAddress.getByName("192.168.1.10");
            InetAddress b = InetAddress.getByName("192.168.1.20");
            InspectionRequest lanToLan = InspectionRequest.http("GET", "http://nas.local/").connection(
                    new Connection(new ZonePair(Zone.LAN, Zone.LAN), a, 50000, b, 80, Optional.empty())).build();
            InspectionRequest lanToSsid = InspectionRequest.http("GET", "http://nas.local/").connection(
                    new Connection(new ZonePair(Zone.LAN, Zone.SSID_PRIMARY), a, 50000, b, 80, Optional.empty())).build();

            assertThat(pipeline.inspect(lanToLan).results()).isEmpty();
            assertThat(pipeline.inspect(lanToLan).verdict().action()).isEqualTo(Action.PASS);
            assertThat(pipeline.inspect(lanToSsid).verdict().action()).isEqualTo(Action.BLOCK);
        }
    }
}
