package org.omamori.engine.antispam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

class ZoneThresholdsTest {

    @Test
    void theMostSpecificEntryWins() {
        ZoneThresholds t = ZoneThresholds.parse("cfg", List.of("wan->lan tag=5 refuse=12", "wan tag=7.5 refuse=off", "", "* tag=8 refuse=20"));
        assertThat(t.forZones(new ZonePair(Zone.WAN, Zone.LAN))).isEqualTo(new Thresholds(5, 12));
        assertThat(t.forZones(new ZonePair(Zone.WAN, Zone.SSID_PRIMARY))).isEqualTo(new Thresholds(7.5, Double.POSITIVE_INFINITY));
        assertThat(t.forZones(ZonePair.LAN_TO_WAN)).isEqualTo(new Thresholds(8, 20));
        assertThat(ZoneThresholds.parse("cfg", List.of()).forZones(ZonePair.LAN_TO_WAN)).isEqualTo(Thresholds.DEFAULTS);
    }

    @Test
    void actionsFollowTheScore() {
        Thresholds t = Thresholds.DEFAULTS;
        assertThat(t.actionFor(5.99)).isEqualTo(SpamAction.HAM);
        assertThat(t.actionFor(6)).isEqualTo(SpamAction.TAG);
        assertThat(t.actionFor(14.99)).isEqualTo(SpamAction.TAG);
        assertThat(t.actionFor(15)).isEqualTo(SpamAction.REFUSE);
        assertThat(new Thresholds(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY).actionFor(1e6)).isEqualTo(SpamAction.HAM);
    }

    @Test
    void aBadEntryNamesItsPlace() {
        assertThatThrownBy(() -> ZoneThresholds.parse("org.omamori.engine.antispam zoneThresholds", List.of("* tag=6 refuse=15", "wan tag=6")))
                .hasMessageStartingWith("org.omamori.engine.antispam zoneThresholds[1]: expected");
        assertThatThrownBy(() -> ZoneThresholds.parse("cfg", List.of("wan tag=9 refuse=3"))).hasMessageStartingWith("cfg[0]: refuse");
        assertThatThrownBy(() -> ZoneThresholds.parse("cfg", List.of("wan tag=six refuse=15"))).hasMessageContaining("not a score: 'six'");
        assertThatThrownBy(() -> ZoneThresholds.parse("cfg", List.of("wan tag=NaN refuse=15"))).hasMessageStartingWith("cfg[0]");
        assertThatThrownBy(() -> ZoneThresholds.parse("cfg", List.of("wan tag=1 refuse=2", "wan tag=3 refuse=4")))
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> ZoneThresholds.parse("cfg", List.of("WAN tag=1 refuse=2\u0000"))).hasMessageContaining("?'");
    }
}
