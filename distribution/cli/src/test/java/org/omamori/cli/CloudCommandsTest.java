package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.AlertId;
import org.omamori.grading.Facts;
import org.omamori.grading.Grade;
import org.omamori.grading.InternalHost;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

import picocli.CommandLine;

/** The operator's cloud commands on a cloud home's embedded store: output and exit codes. */
class CloudCommandsTest extends CloudHomeCommands {




    @Test
    void aCustomerAnApplianceASuppressionAndAnEmptyOutbox() {
        assertThat(run("cloud", "reseller", "--name", "新潟商工会議所")).isZero();
        String reseller = out.toString().strip();
        assertThat(reseller).isEqualTo("1");
        assertThat(run("cloud", "reseller", "--name", "新潟商工会議所")).as("a second of the same name").isEqualTo(2);
        assertThat(err.toString()).contains("exists already as reseller 1");
        assertThat(run("cloud", "customer", "--reseller", reseller, "--name", "株式会社テスト", "--mail", "a@example.jp,b@example.jp"))
                .isZero();
        String customer = out.toString().strip();
        assertThat(customer).isEqualTo("1");
        assertThat(run("cloud", "customer")).isZero();
        assertThat(out.toString()).contains("株式会社テスト").contains("a@example.jp, b@example.jp");
        assertThat(run("cloud", "reseller")).isZero();
        assertThat(out.toString()).contains("新潟商工会議所").containsPattern("1\\s+新潟商工会議所\\s+default\\s+1");
        // The desk changes the addresses and the company data; what is not given stays.
        assertThat(run("cloud", "customer", "--id", customer, "--mail", "new@example.jp", "--contact", "山田 太郎", "--phone", "025-123-4567"))
                .isZero();
        assertThat(out.toString()).contains("alert mail to new@example.jp");
        assertThat(run("cloud", "customer")).isZero();
        assertThat(out.toString()).contains("株式会社テスト", "new@example.jp").doesNotContain("b@example.jp");
        assertThat(run("cloud", "customer", "--id", customer, "--phone", "not a phone")).isEqualTo(2);
        assertThat(err.toString()).contains("phone number");
        assertThat(run("cloud", "customer", "--id", "99", "--mail", "x@example.jp")).isEqualTo(2);

        assertThat(run("cloud", "appliance", "--customer", customer, "--id", "0f0000000001", "--name", "本社")).isZero();
        assertThat(out.toString().strip()).as("the one-time activation code").matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){5}");
        assertThat(run("cloud", "appliance", "--customer", customer, "--id", "0f0000000001")).as("registered already").isEqualTo(2);
        assertThat(err.toString()).contains("registered already");
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--new-code")).isZero();
        assertThat(run("cloud", "appliance")).isZero();
        assertThat(out.toString()).contains("0f0000000001", "株式会社テスト", "本社", "未接続/never seen");
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--maintenance", "on")).isZero();
        assertThat(out.toString()).contains("メンテナンス中");
        assertThat(run("cloud", "appliance", "--customer", customer)).isZero();
        assertThat(out.toString()).contains("0f0000000001", "メンテナンス中/maintenance");
        assertThat(run("cloud", "appliance", "--customer", "99")).isZero();
        assertThat(out.toString()).doesNotContain("0f0000000001");
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--maintenance", "off")).isZero();
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--maintenance", "maybe")).isEqualTo(2);
        assertThat(run("cloud", "appliance", "--id", "0f00000000ff", "--maintenance", "on")).as("not registered").isEqualTo(2);

        assertThat(run("cloud", "suppress", "--customer", customer, "--rule", "phishing-blocked", "--reason", "訓練メール",
                "--days", "7")).isZero();
        assertThat(run("cloud", "suppress", "--customer", customer)).isZero();
        assertThat(out.toString()).contains("phishing-blocked").contains("訓練メール");

        assertThat(run("cloud", "outbox")).isZero();
        assertThat(out.toString()).contains("the outbox is empty");
        assertThat(run("cloud", "faults")).isZero();
    }

    @Test
    void aCustomersAlertsAndEventsNewestFirst() throws Exception {
        assertThat(run("cloud", "reseller", "--name", "商工会議所")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社テスト", "--mail", "a@example.jp")).isZero();
        assertThat(run("cloud", "appliance", "--customer", "1", "--id", "0f0000000001", "--name", "本社")).isZero();
        ApplianceId appliance = new ApplianceId("0f0000000001");
        Instant now = Instant.now();
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            Event threat = event(appliance, now.minusSeconds(120), Kind.THREAT, "c2.example.net");
            Event access = event(appliance, now.minusSeconds(60), Kind.ACCESS, "www.example.jp");
            store.ingest((context, threats) -> {
                for (Event e : threats) {
                    context.save(new AlertChange(AlertChange.Type.OPENED,
                            new Alert(AlertId.of("R", e.appliance(), e.id()), "R",
                                    Grade.HIGH, false, InternalHost.of(e),
                                    Facts.of(e), e.time(), e.time(), 1, List.of(e.id()), Optional.empty())));
                }
            }).store(appliance, List.of(threat, access));
        }
        assertThat(run("cloud", "alerts", "--customer", "1")).isZero();
        assertThat(out.toString()).contains("★★★", "OPEN", "0f0000000001 本社", "c2.example.net").containsPattern("\\d{10}-1");
        assertThat(run("cloud", "events", "--customer", "1", "--days", "1")).isZero();
        String events = out.toString();
        assertThat(events).contains("threat", "access", "192.168.1.10");
        assertThat(events.indexOf("www.example.jp")).as("newest first").isLessThan(events.indexOf("c2.example.net"));
        // The contract ends: the name must be typed again, then nothing of the customer is left to list.
        assertThat(run("cloud", "customer", "--erase", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--confirm");
        assertThat(run("cloud", "customer", "--erase", "1", "--confirm", "株式会社テス")).isEqualTo(2);
        assertThat(run("cloud", "customer", "--erase", "1", "--confirm", "株式会社テスト")).isZero();
        assertThat(out.toString()).contains("customer 1 erased", "0f0000000001");
        assertThat(run("cloud", "alerts", "--customer", "1")).isEqualTo(2);
        assertThat(run("cloud", "appliance")).isZero();
        assertThat(out.toString()).doesNotContain("0f0000000001");
        assertThat(run("cloud", "customer", "--erase", "1", "--confirm", "株式会社テスト")).isEqualTo(2);
        assertThat(run("cloud", "alerts", "--customer", "9")).isEqualTo(2);
        assertThat(err.toString()).contains("customer 9 does not exist");
        assertThat(run("cloud", "events", "--customer", "1", "--days", "91")).isEqualTo(2);
    }

    static Event event(ApplianceId appliance, Instant time, Kind kind,
                                          String host) throws Exception {
        return new Event(new EventIds(Clock.fixed(time, ZoneOffset.UTC)).next(),
                appliance, time.truncatedTo(ChronoUnit.MICROS), kind, ZonePair.LAN_TO_WAN,
                InetAddress.getByName("192.168.1.10"), 51515, InetAddress.getByName("203.0.113.5"), 80,
                Optional.empty(), host, "http://" + host + "/", "", SecurityFunction.URL_FILTERING,
                "engine", "1.0.0", "sid:1", "rule", Result.BLOCK, Level.HIGH, 90,
                Evidence.EXPLOIT_ATTEMPT, "");
    }

    /** On the PostgreSQL the product supports (15 here), a command prints its answer and no library warning. */
    @Test
    void onPostgresqlACommandPrintsNoLibraryWarning() throws Exception {
        String db = "omamori_cli_" + Long.toHexString(System.nanoTime());
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            java.nio.file.Files.createDirectories(home.resolve("etc"));
            java.nio.file.Files.writeString(home.resolve("etc/org.omamori.store.cfg"),
                    "jdbcUrl = jdbc:postgresql://127.0.0.1:5432/" + db + "\nuser = postgres\n");
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(run("cloud", "reseller", "--name", "新潟商工会議所")).isZero();
            assertThat(run("cloud", "reseller")).isZero();
            assertThat(out.toString()).contains("新潟商工会議所");
        } finally {
            System.setErr(stderr);
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN").doesNotContain("Version mismatch");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aNiigataContractFromApplicationToItsEndFollowsTheTermsAndErasesTheCustomer() throws Exception {
        assertThat(run("cloud", "reseller", "--name", "新潟商工会議所", "--edition", "niigata")).isZero();
        assertThat(run("cloud", "reseller", "--name", "ほかの販売店", "--edition", "nagano")).as("not shipped: a note").isZero();
        assertThat(err.toString()).contains("not one this distribution ships");
        assertThat(run("cloud", "reseller")).isZero();
        assertThat(out.toString()).containsPattern("1\\s+新潟商工会議所\\s+niigata").containsPattern("2\\s+ほかの販売店\\s+nagano");
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社契約", "--mail", "keiyaku@example.jp")).isZero();
        assertThat(run("contract", "create", "--customer", "1", "--applied", "2026-05-05")).isEqualTo(2);
        assertThat(err.toString()).contains("--member");
        assertThat(run("contract", "create", "--customer", "1", "--applied", "2026-05-05", "--member")).isZero();
        String id = out.toString().strip();
        assertThat(run("contract", "approve", id, "--on", "2026-05-14")).isZero();
        assertThat(out.toString()).contains("承認済み", "利用開始予定 2026-06-05", "初回利用料の支払い", "期日 2026-05-25");
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            var mail = store.monitoring().outbox(10).stream().filter(m -> m.mail().subject().contains("【契約成立】")).findFirst().orElseThrow();
            assertThat(mail.mail().subject()).contains("商工会議所サイバーセキュリティお助け隊サービス", "契約番号 " + id);
            assertThat(mail.mail().body()).contains("2026-06-05", "本メールの送信をもって利用契約が成立");
            assertThat(mail.mail().to().addresses()).containsExactly("keiyaku@example.jp");
            assertThat(mail.mail().from()).hasValueSatisfying(f -> assertThat(f.address()).isEqualTo("otasuketai@niigata-cci.example"));
        }
        assertThat(run("contract", "ship", id, "--on", "2026-05-20")).isEqualTo(2);
        assertThat(err.toString()).contains("payment-before-shipping");
        assertThat(run("contract", "cancel", id, "--on", "2026-05-20")).isEqualTo(2);
        assertThat(err.toString()).contains("cancel-before-start");
        assertThat(run("contract", "pay", id, "--on", "2026-05-22", "--amount", "59400")).isZero();
        assertThat(run("contract", "ship", id, "--on", "2026-05-27")).isZero();
        assertThat(run("contract", "activate", id, "--on", "2026-06-05")).isZero();
        assertThat(out.toString()).contains("利用中", "期間満了 2027-03-31");
        assertThat(run("contract", "renewal-notices", "--on", "2027-01-14")).isZero();
        assertThat(out.toString()).as("before mid-January").doesNotContain(id + " mailed");
        assertThat(run("contract", "renewal-notices", "--on", "2027-01-15")).isZero();
        assertThat(out.toString()).contains(id + " mailed");
        assertThat(run("contract", "renewal-notices", "--on", "2027-01-16")).isZero();
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            var notices = store.monitoring().outbox(20).stream().filter(m -> m.mail().subject().startsWith("【契約更新のご案内】")).toList();
            assertThat(notices).as("once").hasSize(1);
            assertThat(notices.getFirst().mail().body()).contains("2027-03-31", "2027-04-01", "79,200円", "2027-02-25",
                    "更新しない場合のお申出期限: 2027-01-29");
        }
        assertThat(run("contract", "cancel", id, "--on", "2026-08-10")).isZero();
        assertThat(out.toString()).contains("終了 2026-10-31");
        assertThat(run("contract", "list")).isZero();
        assertThat(out.toString()).contains("解約手続き中", "契約終了とお客様情報の消去", "2026-10-31");
        assertThat(run("contract", "end", id, "--on", "2026-10-30")).isEqualTo(2);
        assertThat(run("contract", "end", id, "--on", "2026-10-31")).isZero();
        assertThat(out.toString()).contains("終了", "顧客 (消去済み)");
        assertThat(run("cloud", "customer")).isZero();
        assertThat(out.toString()).doesNotContain("株式会社契約");
        assertThat(run("contract", "show", "99")).isEqualTo(2);
        assertThat(err.toString()).contains("no contract 99");
    }

    @Test
    void aVarioContractsMonthIsInvoicedWithoutGapsAndItsPdfReadsBack() throws Exception {
        Process fonts = new ProcessBuilder(ApplianceHome.root().resolve("scripts/fonts.sh").toString(), "install").redirectErrorStream(true).start();
        assertThat(fonts.waitFor()).as(new String(fonts.getInputStream().readAllBytes())).isZero();
        assertThat(run("cloud", "reseller", "--name", "バリオセキュア", "--edition", "vario")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "有限会社ブイ", "--mail", "v@example.jp")).isZero();
        assertThat(run("contract", "create", "--customer", "1", "--applied", "2026-05-20", "--pcs", "3")).isZero();
        for (String[] step : List.of(new String[] {"approve", "2026-05-25"}, new String[] {"ship", "2026-06-01"},
                new String[] {"activate", "2026-06-10"})) {
            assertThat(run("contract", step[0], "1", "--on", step[1])).as(step[0] + ": " + err).isZero();
        }
        assertThat(run("invoice", "issue", "--contract", "1", "--month", "2026-06", "--on", "2026-06-30")).isEqualTo(2);
        assertThat(err.toString()).contains("billing starts in 2026-07");
        assertThat(run("invoice", "issue", "--contract", "1", "--month", "2026-07", "--on", "2026-08-01")).isZero();
        assertThat(out.toString()).contains("VARIO-000001", "103,400円");
        assertThat(run("invoice", "issue", "--contract", "1", "--month", "2026-07")).isEqualTo(2);
        assertThat(err.toString()).contains("already");
        assertThat(run("invoice", "issue", "--contract", "1", "--month", "2026-08", "--on", "2026-09-01")).isZero();
        assertThat(out.toString()).contains("VARIO-000002", "15,400円");
        assertThat(run("invoice", "list")).isZero();
        assertThat(out.toString()).contains("VARIO-000002", "VARIO-000001", "有限会社ブイ");
        Path pdf = home.resolve("VARIO-000001.pdf");
        assertThat(run("invoice", "pdf", "VARIO-000001", "--out", pdf.toString())).isZero();
        byte[] first = java.nio.file.Files.readAllBytes(pdf);
        assertThat(run("invoice", "pdf", "VARIO-000001", "--out", pdf.toString())).isZero();
        assertThat(java.nio.file.Files.readAllBytes(pdf)).isEqualTo(first);
        try (var doc = org.apache.pdfbox.Loader.loadPDF(first)) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc)).contains("請求書", "VARIO-000001", "有限会社ブイ 御中",
                    "バリオセキュア株式会社", "T0000000000004", "消費税 9,400円", "103,400円");
        }
        assertThat(run("invoice", "pdf", "VARIO-000009", "--out", pdf.toString())).isEqualTo(2);
        assertThat(run("invoice", "pdf", "nonsense", "--out", pdf.toString())).isEqualTo(2);
    }

    @Test
    void badInputExitsTwoAndSaysWhy() {
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "n", "--mail", "a@x.jp,b@x.jp,c@x.jp,d@x.jp")).isEqualTo(2);
        assertThat(err.toString()).contains("at most 3");
        // A reseller by a name, or an id that does not exist, makes nothing.
        assertThat(run("cloud", "customer", "--reseller", "新潟商工会義所", "--name", "n", "--mail", "a@x.jp")).isEqualTo(2);
        assertThat(run("cloud", "customer", "--reseller", "7", "--name", "n", "--mail", "a@x.jp")).isEqualTo(2);
        assertThat(err.toString()).contains("there is no reseller 7");
        assertThat(run("cloud", "reseller")).isZero();
        assertThat(out.toString()).doesNotContain("新潟商工会義所");
        assertThat(run("cloud", "appliance", "--customer", "1", "--id", "NOT-HEX")).isEqualTo(2);
        assertThat(run("cloud", "suppress", "--customer", "42", "--rule", "x", "--reason", "y")).isEqualTo(2);
        assertThat(err.toString()).contains("customer 42 does not exist");
    }

    @Test
    void theDeskWorksTicketsThroughTheirStepsAndRefusesAFifthRemoteChangeInAMonth() {
        assertThat(run("cloud", "reseller", "--name", "バリオ販売店", "--edition", "vario")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社テスト", "--mail", "a@example.jp")).isZero();
        for (int i = 1; i <= 4; i++) {
            assertThat(run("desk", "open", "--customer", "1", "--kind", "REMOTE_CHANGE", "--subject", "ポート開放 " + i, "--body", "443番"))
                    .as(err.toString()).isZero();
        }
        assertThat(run("desk", "open", "--customer", "1", "--kind", "REMOTE_CHANGE", "--subject", "5回目", "--body", "443番")).isEqualTo(2);
        assertThat(out.toString()).contains("お受けできません", "1か月4回まで");
        assertThat(run("desk", "tickets", "--queue")).isZero();
        assertThat(out.toString()).contains("リモート設定変更", "ポート開放 1").doesNotContain("5回目");
        assertThat(run("desk", "answer", "1", "--body", "設定しました")).as("the steps come first").isEqualTo(2);
        assertThat(err.toString()).contains("変更内容の確認");
        assertThat(run("desk", "step", "1", "--note", "443/tcp")).isZero();
        assertThat(run("desk", "step", "1")).isZero();
        assertThat(run("desk", "answer", "1", "--body", "設定しました")).isZero();
        assertThat(out.toString()).contains("回答済み");
        assertThat(run("desk", "note", "1", "--body", "社内メモ")).isZero();
        assertThat(run("desk", "show", "1")).isZero();
        assertThat(out.toString()).contains("変更内容の確認: 443/tcp", "設定変更の実施", "設定しました", "社内メモ", "OPERATOR");
        assertThat(run("cloud", "outbox")).isZero();
        assertThat(out.toString()).contains("a@example.jp", "Re: [#", "] ポート開放 1");
        assertThat(run("desk", "close", "1")).isZero();
        assertThat(run("desk", "close", "1")).isEqualTo(2);
        assertThat(run("desk", "show", "99")).isEqualTo(2);
    }

    @Test
    void noticesKeepTheirPeriodsAndANotifiedChangeGivesNiigatasRefund() throws Exception {
        assertThat(run("cloud", "reseller", "--name", "新潟商工会議所", "--edition", "niigata")).isZero();
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "株式会社通知", "--mail", "tsuchi@example.jp")).isZero();
        assertThat(run("contract", "create", "--customer", "1", "--applied", "2026-05-05", "--member")).isZero();
        String id = out.toString().strip();
        assertThat(run("contract", "approve", id, "--on", "2026-05-14")).isZero();
        assertThat(run("contract", "pay", id, "--on", "2026-05-22", "--amount", "59400")).isZero();
        assertThat(run("contract", "ship", id, "--on", "2026-05-27")).isZero();
        assertThat(run("contract", "activate", id, "--on", "2026-06-05")).isZero();
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            store.accounts(new byte[32]).create("ops.desk", "運用者", new org.omamori.accounts.AccountScope.Everything(),
                    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", null);
        }
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Tokyo"));
        String soon = today.plusDays(3) + "T02:00";
        assertThat(run("notice", "publish", "--kind", "MAINTENANCE", "--title", "定期メンテナンス", "--body", "停止します", "--starts", soon,
                "--ends", today.plusDays(3) + "T04:00", "--by", "ops.desk")).isEqualTo(2);
        assertThat(err.toString()).contains("at least one month");
        assertThat(run("notice", "publish", "--kind", "MAINTENANCE", "--emergency", "--title", "緊急メンテナンス", "--body", "停止します",
                "--starts", soon, "--ends", today.plusDays(3) + "T04:00", "--by", "ops.desk")).isZero();
        assertThat(run("notice", "publish", "--kind", "TERMS_CHANGE", "--title", "規約改定", "--body", "第5条", "--effective",
                today.plusDays(29).toString(), "--by", "ops.desk")).isEqualTo(2);
        assertThat(err.toString()).contains("30 days");
        assertThat(run("notice", "publish", "--kind", "SPEC_CHANGE", "--audience", "reseller:1", "--title", "仕様変更", "--body", "カテゴリ追加",
                "--by", "ops.desk")).isZero();
        String notice = out.toString().strip().split(" ")[0];
        assertThat(out.toString()).contains("仕様変更", "適用日 " + today.plusDays(20));
        assertThat(run("notice", "publish", "--kind", "SPEC_CHANGE", "--title", "x", "--body", "y", "--by", "nobody")).isEqualTo(2);
        assertThat(run("notice", "list")).isZero();
        assertThat(out.toString()).contains("仕様変更", "メンテナンス（緊急）");
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            assertThat(store.monitoring().outbox(50)).anyMatch(m -> m.mail().subject().equals("【お知らせ】仕様変更")
                    && m.mail().body().contains("第12条5") && m.mail().to().addresses().contains("tsuchi@example.jp"));
        }
        assertThat(run("contract", "refund", id, "--notice", notice, "--paid", "59400", "--cancelled", today.plusDays(10).toString())).isZero();
        assertThat(out.toString()).contains("返金額", "円", "仕様変更");
        assertThat(run("contract", "refund", id, "--notice", notice, "--paid", "59400", "--cancelled", today.plusMonths(2).plusDays(1).toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("第12条5");
    }
}
