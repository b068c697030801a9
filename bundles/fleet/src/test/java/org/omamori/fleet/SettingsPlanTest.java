package org.omamori.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;

/**
 * A version of the settings checked whole: typed as the component's metatype says, the first problem
 * naming its key; keys kept local refused; keys a former version set and this one lacks removed. The
 * schema here is a table written for the test; the real metatype is read in the appliance runtime
 * (itest FleetSettingsTest).
 */
class SettingsPlanTest {

    private static final Schema SCHEMA = new Schema() {
        private final Map<String, Map<String, Property>> pids = Map.of(
                "org.omamori.proxy", Map.of("brandName", prop(SettingsPlan.STRING, false, List.of()),
                        "listeners", prop(SettingsPlan.STRING, true, List.of()),
                        "maxConnections", new Property(SettingsPlan.INTEGER, false, List.of(),
                                v -> v.strip().matches("-?\\d+") && Long.parseLong(v.strip()) < 1 ? Optional.of("is below 1") : Optional.empty(),
                                List.of("2048"))),
                "org.omamori.inspection", Map.of("failurePolicy", prop(SettingsPlan.STRING, false, List.of("open", "closed")),
                        "sameZoneInspected", prop(SettingsPlan.BOOLEAN, false, List.of())),
                "org.omamori.uplink", Map.of("heartbeatSeconds", prop(SettingsPlan.INTEGER, false, List.of()),
                        "cloudUrl", prop(SettingsPlan.STRING, false, List.of()),
                        ".activationCode", prop(SettingsPlan.PASSWORD, false, List.of())));

        @Override
        public Optional<Property> property(String pid, String id) {
            return Optional.ofNullable(pids.getOrDefault(pid, Map.of()).get(id));
        }

        @Override
        public boolean knows(String pid) {
            return pids.containsKey(pid);
        }
    };

    private static Schema.Property prop(int type, boolean multiple, List<String> options) {
        return new Schema.Property(type, multiple, options, v -> Optional.empty(), List.of());
    }

    @Test
    void aSoundVersionBecomesTypedPropertiesPerPidAndDropsWhatTheFormerOneSet() {
        SettingsDocument doc = new SettingsDocument(3, Map.of("proxy.brandName", "新潟お助け隊、サポート", "proxy.listeners",
                "explicit@0.0.0.0:3128/lan, http@0.0.0.0:8080/lan", "proxy.maxConnections", "500", "inspection.failurePolicy", "closed",
                "inspection.sameZoneInspected", "true"));
        SettingsPlan plan = SettingsPlan.of(doc, Set.of("proxy.brandName", "uplink.heartbeatSeconds"), SCHEMA);
        SettingsPlan back = SettingsPlan.of(new SettingsDocument(4, Map.of()), Set.of("proxy.maxConnections"), SCHEMA);
        assertThat(back.properties().get("org.omamori.proxy")).as("a key dropped goes back to the default").containsEntry("maxConnections", "2048");
        assertThat(plan.properties().get("org.omamori.proxy")).as("as a .cfg file holds them, checked")
                .containsEntry("brandName", "新潟お助け隊、サポート").containsEntry("maxConnections", "500")
                .containsEntry("listeners", "explicit@0.0.0.0:3128/lan, http@0.0.0.0:8080/lan");
        assertThat(plan.properties().get("org.omamori.inspection")).containsEntry("sameZoneInspected", "true");
        assertThat(plan.removed()).containsEntry("org.omamori.uplink", Set.of("heartbeatSeconds"));
        assertThat(SettingsPlan.split(" a,, b ,")).containsExactly("a", "b");
    }

    @Test
    void theFirstProblemRefusesTheWholeVersionAndNamesTheKey() {
        assertThatThrownBy(() -> plan("proxy.maxConnections", "many")).hasMessageStartingWith("proxy.maxConnections:").hasMessageContaining("not a number");
        assertThatThrownBy(() -> plan("proxy.maxConnections", "0")).hasMessageStartingWith("proxy.maxConnections:").hasMessageContaining("below 1");
        assertThatThrownBy(() -> plan("inspection.failurePolicy", "maybe")).hasMessageContaining("not one of [open, closed]");
        assertThatThrownBy(() -> plan("inspection.sameZoneInspected", "yes")).hasMessageContaining("not true or false");
        assertThatThrownBy(() -> plan("proxy.nonsense", "1")).hasMessageStartingWith("proxy.nonsense: unknown key");
        assertThatThrownBy(() -> plan("kernel.modules", "1")).hasMessageStartingWith("kernel.modules: unknown key");
        assertThatThrownBy(() -> plan("uplink.cloudUrl", "https://evil.example/")).hasMessageContaining("kept local");
        assertThatThrownBy(() -> plan("uplink..activationCode", "x")).hasMessageContaining("secret");
        assertThatThrownBy(() -> plan("dns.blockMode", "nxdomain")).hasMessageContaining("not installed");
    }

    @Test
    void theCloudsAnswerIsReadStrictly() {
        ApplianceId me = new ApplianceId("00a0de5a1100");
        SettingsDocument doc = SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1100\",\"version\":2,\"changedAt\":\"2026-12-05T00:00:00Z\","
                + "\"settings\":{\"proxy.brandName\":\"お助け隊\"}}"), me);
        assertThat(doc.version()).isEqualTo(2);
        assertThat(doc.settings()).containsEntry("proxy.brandName", "お助け隊");
        assertThatThrownBy(() -> SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1199\",\"version\":2,\"settings\":{}}"), me))
                .hasMessageContaining("not this one");
        assertThatThrownBy(() -> SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1100\",\"version\":2,\"settings\":{\"a.b\":1}}"), me))
                .hasMessageContaining("a string is expected");
        assertThatThrownBy(() -> SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1100\",\"version\":2,\"settings\":{\"a.b\":\"1\",\"a.b\":\"2\"}}"), me))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1100\",\"version\":0,\"settings\":{}}"), me))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1100\",\"version\":2,\"settings\":{},\"x\":1}"), me))
                .hasMessageContaining("unknown field");
        assertThatThrownBy(() -> SettingsDocument.parse(json("[]"), me)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> SettingsDocument.parse(json("{\"appliance\":\"00a0de5a1100\""), me)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SettingsPlan plan(String key, String value) {
        return SettingsPlan.of(new SettingsDocument(1, Map.of(key, value)), Set.of(), SCHEMA);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
