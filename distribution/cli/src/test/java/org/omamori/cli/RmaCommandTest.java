package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.store.Store;

import picocli.CommandLine;

/** {@code ./omamori rma}: a Vario customer's faulty appliance replaced end to end in a cloud home's embedded store. */
class RmaCommandTest extends CloudHomeCommands {

    static final String FAULTY = "0f0000000001";
    static final String NEW = "0f0000000002";




    private int rma(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "rma";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all);
    }

    @Test
    void aVarioRmaRunsFromTheReportToTheErasureAndTheReplacementTakesOver() throws Exception {
        assertThat(run("cloud", "reseller", "--name", "バリオ販売", "--edition", "vario")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社こしょう", "--mail", "kosho@example.jp")).isZero();
        assertThat(run("cloud", "appliance", "--customer", "1", "--id", FAULTY, "--name", "本社 1F", "--manufactured", "2019-12-05"))
                .as(err.toString()).isZero();
        String code = out.toString().strip();
        String oldToken;
        try (Store store = CloudStoreAccess.open(home)) {
            oldToken = store.ingest().activate(new ApplianceId(FAULTY), code).orElseThrow();
        }

        // The 7-year flag: not on the 7th anniversary, from the day after.
        assertThat(rma("aging", "--on", "2026-12-05")).isZero();
        assertThat(out.toString()).doesNotContain(FAULTY);
        assertThat(rma("aging", "--on", "2026-12-06")).isZero();
        assertThat(out.toString()).containsPattern(FAULTY + "\\s+1 株式会社こしょう\\s+本社 1F\\s+vario\\s+2019-12-05\\s+2026-12-06");

        assertThat(rma("open", "--appliance", "0f00000000ff")).isEqualTo(2);
        assertThat(err.toString()).contains("not registered");
        assertThat(rma("open", "--appliance", FAULTY, "--reported", "2026-04-24T09:00", "--ticket", "3")).as(err.toString()).isZero();
        String id = out.toString().strip();
        assertThat(id).isEqualTo("1");
        assertThat(rma("swap", id)).as("a step out of turn").isEqualTo(2);
        assertThat(err.toString()).contains("REPORTED", "needs SHIPPED");
        assertThat(rma("check", id, "--finding", "x")).as("neither --faulty nor --not-faulty").isEqualTo(2);
        // Friday 24 April: Vario ships by the next business day, Monday 27 April.
        assertThat(rma("check", id, "--faulty", "--finding", "4/23 22:00 以降ハートビートなし", "--at", "2026-04-24T15:00")).isZero();
        assertThat(out.toString()).contains("発送期限 2026-04-27", "故障確認・代替機手配 (CONFIRMED)", "故障機の状態 未接続/never seen");
        assertThat(rma("ship", id, "--replacement", NEW, "--at", "2026-04-28T10:00")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("※遅延発送", "発送期限 2026-04-27 を過ぎての発送", "代替機 " + NEW + " の有効化コード");
        String newCode = out.toString().replaceAll("(?s).*activation code: (\\S+).*", "$1");
        assertThat(rma("swap", id, "--at", "2026-04-28T17:00")).isZero();
        // Five business days across Golden Week, carriage paid by the operator.
        assertThat(out.toString()).contains("返却期限 2026-05-11", "送料当社負担（着払い）", "認証情報を失効");
        try (Store store = CloudStoreAccess.open(home)) {
            assertThat(store.ingest().authenticate(oldToken)).as("the faulty unit's token is revoked").isEmpty();
            String newToken = store.ingest().activate(new ApplianceId(NEW), newCode).orElseThrow();
            assertThat(store.ingest().authenticate(newToken)).contains(new ApplianceId(NEW));
        }
        assertThat(run("cloud", "appliance", "--customer", "1")).isZero();
        assertThat(out.toString()).contains("交換済み/replaced → " + NEW).containsPattern(NEW + "\\s+1 株式会社こしょう\\s+本社 1F");
        assertThat(run("cloud", "appliance", "--id", FAULTY, "--new-code")).isEqualTo(2);
        assertThat(rma("aging", "--on", "2026-12-06")).isZero();
        assertThat(out.toString()).as("a replaced unit is no longer in service").doesNotContain(FAULTY);

        assertThat(rma("returned", id, "--at", "2026-05-11T16:00")).isZero();
        assertThat(rma("erased", id, "--at", "2026-05-12T10:00")).isZero();
        assertThat(rma("erased", id)).isEqualTo(2);
        assertThat(rma("show", id)).isZero();
        assertThat(out.toString()).contains("故障機データ消去済み (ERASED)", "故障チケット 3", "代替機 " + NEW, "所見 4/23 22:00 以降ハートビートなし")
                .doesNotContain("※返却遅延")
                .containsPattern("2026-04-24 09:00:00\\s+故障受付\\s+CUSTOMER\\s+故障の申告を受付（故障チケット 3）")
                .containsPattern("2026-04-24 15:00:00\\s+故障確認・代替機手配\\s+OPERATOR")
                .containsPattern("2026-04-28 17:00:00\\s+交換完了・故障機返却待ち\\s+CUSTOMER")
                .containsPattern("2026-05-12 10:00:00\\s+故障機データ消去済み\\s+OPERATOR\\s+故障機 " + FAULTY + " のデータを消去");
        assertThat(rma("list")).isZero();
        assertThat(out.toString()).containsPattern(
                "1\\s+1\\s+vario\\s+故障機データ消去済み\\s+" + FAULTY + "\\s+" + NEW + "\\s+2026-04-27\\s+2026-05-11\\s+発送遅延");

        // Not faulty: closed with the reason.
        assertThat(rma("open", "--appliance", NEW)).isZero();
        String second = out.toString().strip();
        assertThat(rma("check", second, "--not-faulty", "--finding", "LANケーブルの抜け")).isZero();
        assertThat(out.toString()).contains("故障なし・対応終了 (CLOSED)", "故障は確認されませんでした（LANケーブルの抜け）");
        assertThat(rma("show", "99")).isEqualTo(2);
        assertThat(err.toString()).contains("no RMA 99");
    }
}
