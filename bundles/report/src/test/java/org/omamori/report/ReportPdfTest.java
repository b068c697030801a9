package org.omamori.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.report.ServiceAvailability.Window;

class ReportPdfTest {

    static ReportPdf pdf;

    @BeforeAll
    static void font() throws Exception {
        Path script = Path.of("../../scripts/fonts.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(script.toString(), "install").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("scripts/fonts.sh install: " + out).isZero();
        pdf = new ReportPdf(Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow()));
    }

    static String text(byte[] bytes) throws Exception {
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    static MonthlyFigures figures(int participants) {
        Instant at = Instant.parse("2026-05-12T01:30:00Z");
        return new MonthlyFigures(7, "株式会社テスト商会", Optional.of("niigata"), YearMonth.of(2026, 5), participants,
                List.of(new MonthlyFigures.FunctionCount("ips", 1234, OptionalDouble.of(88.5)),
                        new MonthlyFigures.FunctionCount("antivirus", 17, OptionalDouble.of(3.25))),
                List.of(new MonthlyFigures.ApplianceFigures("0a1b2c3d4e5f", "本社 1F", Map.of("ips", 1234L, "antivirus", 17L), 700, 744, 3,
                        Optional.of(at))),
                List.of(new MonthlyFigures.ImportantAlert("1778549400-1", "★★★", at, "antivirus", "http://bad.example/x.exe", "本社 1F",
                        Optional.of("block"), Optional.empty(), false),
                        new MonthlyFigures.ImportantAlert("1778549400-2", "★★☆", at, "ips", "203.0.113.9", "本社 1F",
                                Optional.of("pass"), Optional.of("BENIGN"), false)),
                0);
    }

    @Test
    void theReportReadsBackInJapaneseWithTheCustomersCountsAndTheEditionsBrand() throws Exception {
        var niigata = new NiigataEdition();
        byte[] bytes = pdf.render(figures(12), niigata);
        assertThat(pdf.render(figures(12), niigata)).as("the same figures, the same bytes").isEqualTo(bytes);
        String text = text(bytes);
        assertThat(text).contains("月次セキュリティレポート", "2026年5月", "株式会社テスト商会 御中",
                "1. 今月のまとめ", "2. セキュリティ機能別の検知数", "3. 機器別の検知数", "4. 重要なアラート", "5. 機器の稼働状況",
                "1,251 件", "1,234 件", "17 件", "不正侵入防御（IPS）", "アンチウイルス",
                "参加企業 12 社の平均", "平均 88.5 件", "平均 3.3 件",
                "★★★", "1778549400-1", "機器が通信を遮断しました", "調査の結果、問題はありませんでした",
                "稼働率 94.1%", "定義ファイル更新 3 回",
                niigata.brand().service().ja(), niigata.brand().company().ja(), niigata.terms().desk().phone());
        assertThat(text.indexOf("月次セキュリティレポート")).as("Japanese first").isLessThan(text.indexOf("株式会社テスト商会"));
    }

    @Test
    void theAverageIsShownOnlyWithFiveParticipants() throws Exception {
        var niigata = new NiigataEdition();
        String four = text(pdf.render(figures(4), niigata));
        assertThat(four).contains("参加企業が 5 社未満（4 社）のため、平均との比較は表示していません").doesNotContain("平均 88.5");
        String five = text(pdf.render(figures(5), niigata));
        assertThat(five).contains("参加企業 5 社の平均", "平均 88.5 件").doesNotContain("5 社未満");
    }

    @Test
    void aQuietMonthSaysSoAndManyAlertsGoOnMorePages() throws Exception {
        var niigata = new NiigataEdition();
        var quiet = new MonthlyFigures(8, "静かな会社", Optional.empty(), YearMonth.of(2026, 5), 1, List.of(), List.of(), List.of(), 0);
        assertThat(text(pdf.render(quiet, niigata))).contains("今月の検知はありませんでした。", "今月、重要なアラートはありませんでした。",
                "登録された機器はありません。");
        List<MonthlyFigures.ImportantAlert> many = new ArrayList<>();
        for (int i = 0; i < MonthlyFigures.MAX_ALERTS; i++) {
            many.add(new MonthlyFigures.ImportantAlert("1778549400-" + i, "★★☆", Instant.parse("2026-05-12T01:30:00Z"), "ips", "t", "",
                    Optional.empty(), Optional.empty(), true));
        }
        var busy = new MonthlyFigures(9, "忙しい会社", Optional.empty(), YearMonth.of(2026, 5), 1, List.of(), List.of(), many, 7);
        byte[] bytes = pdf.render(busy, niigata);
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            assertThat(doc.getNumberOfPages()).isGreaterThan(1);
        }
        assertThat(text(bytes)).contains("ほか 7 件", "お客様の設定により通知を止めています", "1778549400-39");
    }

    @Test
    void availabilityCountsAFaultsOutsidePlannedWindows() {
        YearMonth may = YearMonth.of(2026, 5); // 31 days = 744 h, JST
        Instant start = Instant.parse("2026-04-30T15:00:00Z");
        // An A fault of 10 h, 4 h of it within a planned window of 6 h; a second within the first counts once.
        List<Window> outages = List.of(new Window(start.plus(Duration.ofHours(100)), start.plus(Duration.ofHours(110))),
                new Window(start.plus(Duration.ofHours(105)), start.plus(Duration.ofHours(108))));
        List<Window> planned = List.of(new Window(start.plus(Duration.ofHours(106)), start.plus(Duration.ofHours(112))));
        ServiceAvailability a = ServiceAvailability.of(may, outages, planned);
        assertThat(a.planned()).isEqualTo(Duration.ofHours(6));
        assertThat(a.down()).isEqualTo(Duration.ofHours(6));
        assertThat(a.period()).isEqualTo(Duration.ofHours(738));
        assertThat(a.percent()).isCloseTo(100.0 * 732 / 738, within(1e-9));
        assertThat(a.met()).as("99.19 %").isTrue();
        ServiceAvailability unplanned = ServiceAvailability.of(may, outages, List.of());
        assertThat(unplanned.percent()).isCloseTo(100.0 * 734 / 744, within(1e-9));
        assertThat(unplanned.met()).as("without the window 10 h of 744: 98.66 %").isFalse();
        assertThat(ServiceAvailability.of(may, List.of(new Window(start.minus(Duration.ofDays(1)), start.plus(Duration.ofHours(7)))), List.of()).met())
                .as("7 h of 744 is 99.06 %; what lies before the month does not count").isTrue();
    }
}
