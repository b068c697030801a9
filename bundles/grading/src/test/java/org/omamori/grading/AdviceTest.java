package org.omamori.grading;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Verdict;

class AdviceTest {

    final Traffic traffic = new Traffic();
    final Grader grader = new Grader(StarTable.standard());

    Advice adviceFor(org.omamori.events.Event e) {
        return Advice.of(grader.accept(e).getFirst().alert());
    }

    @Test
    void threeStarsTellTheCustomerToIsolateAndScanTheHost() {
        Advice a = adviceFor(traffic.http("http://198.51.100.9/c2/beacon", Traffic.IPS, Verdict.block(Traffic.C2_BEACON)));
        assertThat(a.ja()).contains("ホスト 192.168.1.23 (00:1a:2b:3c:4d:5e) でウイルス対策ソフトのフルスキャンを実行してください",
                "ネットワークから切り離し", "http://198.51.100.9/c2/beacon");
        assertThat(a.en()).contains("full antivirus scan", "192.168.1.23");
    }

    @Test
    void eachKindOfFindingGetsItsOwnAdvice() {
        assertThat(adviceFor(traffic.http("http://files.example.jp/big.iso", Traffic.AV,
                Verdict.pass(Traffic.NOT_SCANNED).withNote("not scanned: over the scan limit"))).ja())
                .contains("ウイルス検査できなかったファイル", "開かずに削除");
        assertThat(adviceFor(traffic.http("http://login.bank-jp.example/", Traffic.URL, Verdict.block(Traffic.PHISHING))).ja())
                .contains("フィッシングサイト", "遮断しました", "パスワードを変更");
        assertThat(adviceFor(traffic.http("http://dl.example.jp/a.zip", Traffic.AV, Traffic.infected("Eicar-Signature"))).ja())
                .contains("無害化しました", "Eicar-Signature");
        assertThat(adviceFor(traffic.http(Traffic.inbound("203.0.113.66", Traffic.SERVER), "http://shop.example.jp/?q=union+select",
                Traffic.IPS, Verdict.block(Traffic.SQLI))).ja())
                .contains("ホスト 192.168.1.80 への攻撃", "防御しました");
        assertThat(adviceFor(traffic.dns("x7f3.newly-seen.cloud", Verdict.pass(Traffic.NEW_DOMAIN))).ja())
                .contains("調査中", "x7f3.newly-seen.cloud", "結果をメールでお知らせします");
    }
}
