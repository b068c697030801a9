package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** `./omamori billing quote`: its output, JSON and exit codes. */
class BillingQuoteCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void aNiigataQuotePrintsTheDatesTheChargeAndTheTotal() {
        int code = run("billing", "quote", "--edition", "niigata", "--applied", "2026-05-06", "--approved", "2026-05-15", "--member");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("新潟商工会議所", "利用開始日        2026-07-07", "2026-07-07 〜 2027-03-31",
                "無償期間          2026-07-07 〜 2026-07-31", "48,000", "4,800", "52,800", "2026-06-25", "合計");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonHasTheSameFactsAsNumbersAndDates() {
        int code = run("billing", "quote", "--edition", "vario", "--applied", "2026-05-20", "--start", "2026-06-10",
                "--appliances", "2", "--pcs", "5", "--json");
        assertThat(code).isZero();
        String json = out.toString().strip();
        assertThat(json).startsWith("{\"edition\":\"vario\",\"start\":\"2026-06-10\",").endsWith("]}")
                .contains("\"billingFrom\":\"2026-07-01\"", "\"net\":160000,\"tax\":16000,\"gross\":176000",
                        "\"total\":{\"net\":186600,\"tax\":18660,\"gross\":205260}");
        assertThat(json.lines()).hasSize(1);
    }

    @Test
    void badUsageExitsTwoAndSaysWhy() {
        assertThat(run("billing", "quote", "--edition", "kyoto", "--applied", "2026-05-06")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown edition kyoto");
        assertThat(run("billing", "quote", "--edition", "niigata", "--applied", "2026-05-06")).isEqualTo(2);
        assertThat(err.toString()).contains("--member");
        assertThat(run("billing", "quote", "--edition", "niigata", "--applied", "6 May", "--member")).isEqualTo(2);
        assertThat(err.toString()).contains("not a date");
        assertThat(run("billing", "quote", "--edition", "niigata", "--applied", "2026-05-06", "--member", "--non-member")).isEqualTo(2);
        assertThat(run("billing", "quote", "--edition", "osaka", "--applied", "2026-05-06")).isEqualTo(2);
        assertThat(err.toString()).contains("--monthly-fee");
        assertThat(run("billing", "quote", "--edition", "osaka", "--applied", "2026-05-06", "--monthly-fee", "5500")).isZero();
        assertThat(run("billing", "quote", "--edition", "vario", "--applied", "2026-05-06", "--appliances", "0")).isEqualTo(2);
    }

    @Test
    void editionsListsTheShippedEditionsTheirVersionsNamesAndTheStandardCheck() {
        assertThat(run("editions")).isZero();
        String listing = out.toString();
        assertThat(listing.lines().toList().getFirst()).startsWith("ID").contains("VERSION", "サービス名", "STANDARD");
        assertThat(listing).contains("niigata", "商工会議所サイバーセキュリティお助け隊サービス", "新潟商工会議所",
                "vario", "セキュリティお助けパック", "osaka", "matsumoto", "default", "(built in)",
                "osaka: note STD-PRICE-NETWORK");
        // the test class path holds the bundles' own jars: their Bundle-Version, not "unknown"
        assertThat(listing.lines().filter(l -> l.startsWith("niigata ")).findFirst().orElseThrow()).contains("0.1.0");
        assertThat(listing).doesNotContain("warning");
    }

    @Test
    void deskDueAndInsuranceCheckPrintTheirDatesAndExitCodes() {
        assertThat(run("desk", "due", "--edition", "osaka", "--received", "2026-05-01T10:00")).isZero();
        assertThat(out.toString()).contains("回答期限        2026-05-12 17:00:00", "2026-05-26");
        assertThat(run("desk", "due", "--edition", "niigata", "--received", "2028-08-14T09:00", "--long")).isZero();
        assertThat(out.toString()).contains("一次回答期限    2028-08-21 17:00:00");
        assertThat(run("desk", "due", "--edition", "osaka", "--received", "May 1")).isEqualTo(2);
        assertThat(run("insurance", "check", "--edition", "osaka", "--contract-start", "2026-06-10", "--alert-mail", "2026-07-10T09:00",
                "--dispatch", "2026-08-09")).isZero();
        assertThat(out.toString()).contains("補償の対象です", "2026-07-01 〜 2027-06-30", "150,000円");
        assertThat(run("insurance", "check", "--edition", "osaka", "--contract-start", "2026-06-10", "--alert-mail", "2026-07-10T09:00",
                "--dispatch", "2026-08-10")).isEqualTo(1);
        assertThat(out.toString()).contains("補償の対象外です", "30日以内");
        assertThat(run("insurance", "check", "--edition", "niigata", "--contract-start", "2026-06-05", "--alert-mail", "2027-04-10T09:00",
                "--dispatch", "2027-04-20", "--paid", "150000", "--renewed-on", "2027-04-01")).isEqualTo(1);
    }
}
