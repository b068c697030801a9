package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code ./omamori cloud config}: versions of a Vario customer's appliance settings with who and when, the
 * edition's four remote changes a month (the fifth refused with the rule, the operator's own not counted),
 * and what the appliance reported.
 */
class CloudConfigCommandTest extends CloudHomeCommands {

    static final String APPLIANCE = "0c0000000001";

    @Test
    void changesMakeVersionsCountedAgainstTheEditionsMonthlyLimit() throws Exception {
        assertThat(run("cloud", "reseller", "--name", "バリオ販売", "--edition", "vario")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社せってい", "--mail", "settei@example.jp")).isZero();
        assertThat(run("cloud", "appliance", "--customer", "1", "--id", APPLIANCE)).as(err.toString()).isZero();

        assertThat(run("cloud", "config", "--appliance", APPLIANCE)).isZero();
        assertThat(out.toString()).contains("holds no settings");

        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--set", "uplink.heartbeatSeconds=30", "--operator-change",
                "--note", "fleet tuning")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("version 1").contains("operator's own change");
        for (int i = 1; i <= 4; i++) {
            assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--set", "proxy.brandName=バリオお助け隊 " + i, "--by", "desk:tanaka"))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).contains("version " + (i + 1)).contains("counted this month");
        }
        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--set", "proxy.brandName=five")).isEqualTo(2);
        assertThat(err.toString()).contains("1か月4回まで").contains("vario");
        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--unset", "uplink.heartbeatSeconds", "--operator-change")).isZero();

        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--set", "no-dot")).isEqualTo(2);
        assertThat(err.toString()).contains("KEY=VALUE");
        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--set", "Bad Key=1", "--operator-change")).isEqualTo(2);
        assertThat(err.toString()).contains("not area.property");
        assertThat(run("cloud", "config", "--appliance", "0c00000000ff", "--show")).isEqualTo(2);
        assertThat(err.toString()).contains("no appliance");

        // The reseller's maintenance window for all its appliances: the operator's own change, not counted.
        assertThat(run("cloud", "appliance", "--customer", "1", "--id", "0c0000000002")).isZero();
        assertThat(run("cloud", "config", "--reseller", "1", "--set", "runtime.window=2nd-wed 23:00-28:00", "--note", "Vario terms"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains(APPLIANCE + ": version 7").contains("0c0000000002: version 1").contains("2 appliance(s)");
        assertThat(run("cloud", "config", "--reseller", "1", "--set", "runtime.window=2nd-wed 23:00-28:00")).isZero();
        assertThat(out.toString()).contains("has these values already");
        assertThat(run("cloud", "config", "--reseller", "1", "--appliance", APPLIANCE, "--set", "a.b=1")).isEqualTo(2);
        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--set", "proxy.brandName=six")).as("still four counted").isEqualTo(2);

        assertThat(run("cloud", "config", "--appliance", APPLIANCE, "--show", "--history")).isZero();
        assertThat(out.toString()).contains("version 7").contains("runtime.window").contains("proxy.brandName").contains("バリオお助け隊 4")
                .doesNotContain("heartbeatSeconds  30").contains("nothing reported yet")
                .contains("desk:tanaka").contains("fleet tuning").contains("uplink.heartbeatSeconds unset");
    }
}
