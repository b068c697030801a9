package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code ./omamori insurance claim}: claims ①–⑨ on an Osaka contract in a cloud home's embedded store. */
class InsuranceClaimCommandTest extends CloudHomeCommands {




    private int claim(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "insurance";
        all[1] = "claim";
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    /** Takes claim {@code id} from ② to ⑤, scheduled for {@code day}. */
    private void scheduled(String id, String day) {
        assertThat(claim("scan-asked", id)).as(err.toString()).isZero();
        if (out.toString().contains("SCAN_ASKED")) {
            assertThat(claim("scanned", id, "--result", "Trojan 1件を検出、駆除できず")).as(err.toString()).isZero();
        }
        assertThat(claim("vendors", id, "--region", "大阪市北区")).as(err.toString()).isZero();
        assertThat(claim("schedule", id, "--vendor", "なにわITサポート", "--day", day)).as(err.toString()).isZero();
    }

    @Test
    void anOsakaClaimRunsFromTheAlertMailToPaymentAndTheInsuranceYearStopsAtTwoDispatches() {
        assertThat(run("cloud", "reseller", "--name", "大阪商工会議所", "--edition", "osaka")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社ほけん", "--mail", "hoken@example.jp")).isZero();
        assertThat(run("contract", "create", "--customer", "1", "--applied", "2026-05-20", "--monthly-fee", "5500")).isZero();
        assertThat(claim("open", "--contract", "1", "--alert-mail", "2026-06-20T09:00")).as("before the service started").isEqualTo(0);
        assertThat(claim("open", "--contract", "7", "--alert-mail", "2026-06-20T09:00")).isEqualTo(2);
        assertThat(err.toString()).contains("no contract 7");
        scheduled("1", "2026-06-25");
        assertThat(claim("dispatched", "1", "--day", "2026-06-25")).isEqualTo(1);
        assertThat(err.toString()).contains("has not started", "claim-service");
        for (String[] step : new String[][] {{"approve", "2026-05-25"}, {"ship", "2026-06-01"}, {"activate", "2026-06-10"}}) {
            assertThat(run("contract", step[0], "1", "--on", step[1])).as(step[0] + ": " + err).isZero();
        }

        // ① ② a ★★★ alert mail on 10 July; ③–⑨ on through payment, 180,000 yen invoiced of which 30,000 the customer's own.
        assertThat(claim("open", "--contract", "1", "--alert-mail", "2026-07-10T09:00", "--alert", "A-000042",
                "--at", "2026-07-10T10:00")).as(err.toString()).isZero();
        String id = out.toString().strip();
        assertThat(id).isEqualTo("2");
        assertThat(claim("scan-asked", id, "--at", "2026-07-10T11:00")).isZero();
        assertThat(out.toString()).contains("③ フルスキャン依頼");
        assertThat(claim("paid", id)).as("a step out of turn").isEqualTo(1);
        assertThat(err.toString()).contains("SCAN_ASKED", "needs CLAIMED");
        assertThat(claim("scanned", id, "--result", "Emotet 1件、駆除できず", "--at", "2026-07-11T09:30")).isZero();
        assertThat(claim("vendors", id, "--region", "大阪市北区", "--at", "2026-07-11T10:00")).isZero();
        assertThat(claim("schedule", id, "--vendor", "なにわITサポート", "--day", "2026-08-09", "--at", "2026-07-11T15:00")).isZero();
        assertThat(claim("dispatched", id, "--day", "2026-08-09", "--at", "2026-08-09T18:00")).as("day 30: " + err).isZero();
        assertThat(out.toString()).contains("⑥ 駆け付け対応済み", "今回の上限 150,000円");
        assertThat(claim("reported", id, "--invoiced", "180000", "--at", "2026-08-12T10:00")).isZero();
        assertThat(out.toString()).contains("請求額 180,000円  保険 150,000円  お客様のご負担 30,000円");
        assertThat(claim("claimed", id, "--at", "2026-08-13T10:00")).isZero();
        assertThat(claim("paid", id, "--at", "2026-09-01T10:00")).isZero();
        assertThat(claim("show", id)).isZero();
        assertThat(out.toString()).contains("⑨ 保険金支払済み (PAID)", "アラート A-000042", "アラートメール 2026-07-10 09:00:00",
                "フルスキャン結果 Emotet 1件、駆除できず", "駆け付け なにわITサポート  2026-08-09", "お客様のご負担 30,000円")
                .containsPattern("2026-07-10 10:00:00\\s+② 相談受付\\s+CUSTOMER")
                .containsPattern("2026-07-10 11:00:00\\s+③ フルスキャン依頼\\s+RESELLER")
                .containsPattern("2026-08-09 18:00:00\\s+⑥ 駆け付け対応済み\\s+OPERATOR")
                .containsPattern("2026-09-01 10:00:00\\s+⑨ 保険金支払済み\\s+OPERATOR\\s+保険会社から業者へ 150,000円 支払");

        // Day 31 after the alert mail: refused, and the refused claim takes no further step.
        assertThat(claim("open", "--contract", "1", "--alert-mail", "2026-08-01T09:00")).isZero();
        String late = out.toString().strip();
        scheduled(late, "2026-09-01");
        assertThat(claim("dispatched", late, "--day", "2026-09-01")).isEqualTo(1);
        assertThat(out.toString()).contains("対象外 (REFUSED)");
        assertThat(err.toString()).contains("30日以内", "2026-08-31 24時まで");
        assertThat(claim("reported", late, "--invoiced", "50000")).isEqualTo(1);

        // A raised ★★☆ alert needs its scan's result; with it, the second dispatch of the year: 100,000 yen, all the insurer's.
        assertThat(claim("open", "--contract", "1", "--alert-mail", "2026-09-01T09:00", "--raised")).isEqualTo(1);
        assertThat(err.toString()).contains("claim-grade");
        assertThat(claim("open", "--contract", "1", "--alert-mail", "2026-09-01T09:00", "--raised", "--scan", "Trojan 2件")).isZero();
        String second = out.toString().strip();
        scheduled(second, "2026-09-05");
        assertThat(claim("dispatched", second, "--day", "2026-09-05")).as(err.toString()).isZero();
        assertThat(claim("reported", second, "--invoiced", "100000")).isZero();
        assertThat(out.toString()).contains("請求額 100,000円  保険 100,000円  お客様のご負担 0円");

        // A third dispatch in the insurance year 2026-07-01 to 2027-06-30: 50,000 yen of the limit left, but Osaka pays 2.
        assertThat(claim("open", "--contract", "1", "--alert-mail", "2026-10-01T09:00")).isZero();
        String third = out.toString().strip();
        scheduled(third, "2026-10-03");
        assertThat(claim("dispatched", third, "--day", "2026-10-03")).isEqualTo(1);
        assertThat(err.toString()).contains("2026-07-01〜2027-06-30", "2 回まで");

        assertThat(claim("list", "--contract", "1")).isZero();
        assertThat(out.toString()).contains("⑨ 保険金支払済み", "180,000円", "30,000円", "⑦ 報告書・請求書受領", "対象外")
                .containsPattern(third + "\\s+1\\s+1\\s+osaka\\s+対象外");
        assertThat(claim("list", "--contract", "2")).isZero();
        assertThat(out.toString().strip().lines()).hasSize(1);
        assertThat(claim("show", "99")).isEqualTo(2);
        assertThat(err.toString()).contains("no claim 99");
        assertThat(claim("dispatched", third, "--day", "someday")).isEqualTo(2);
    }

    @Test
    void theCheckCommandIsUnchanged() {
        out = new StringWriter();
        err = new StringWriter();
        int code = new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("insurance", "check",
                "--edition", "osaka", "--contract-start", "2026-06-10", "--alert-mail", "2026-07-10T09:00", "--dispatch", "2026-08-10");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("補償の対象外です");
    }
}
