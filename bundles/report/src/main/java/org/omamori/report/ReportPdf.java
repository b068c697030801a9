package org.omamori.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms;
import org.omamori.pdf.JapaneseFont;
import org.omamori.pdf.PdfText;

/**
 * A customer's monthly report as an A4 Japanese PDF (docs/reports.md) in its edition's brand: the
 * service's name and colour, the issuing company, the desk to call. Charts are PDF vector bars. The
 * same figures and edition give the same bytes (dates from the month, an id from the content, the
 * font subset's tag from its glyphs). Thread-safe: one instance serves every worker.
 */
public final class ReportPdf {

    private static final float MARGIN = 48;
    private static final float BOTTOM = 64;
    private static final Color GREY = new Color(0xB0, 0xB0, 0xB0);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("M/d HH:mm", Locale.ROOT);

    /** The functions' Japanese names; an unknown function shows its id. */
    private static final Map<String, String> FUNCTIONS = Map.of(
            "ips", "不正侵入防御（IPS）",
            "antivirus", "アンチウイルス",
            "url-filtering", "URLフィルタリング",
            "application-identification", "アプリケーション識別",
            "dns-filtering", "DNSフィルタリング");

    private final JapaneseFont font;

    public ReportPdf(JapaneseFont font) {
        this.font = font;
    }

    /** IPA Gothic where Debian installs it ({@code scripts/fonts.sh install}). */
    public static ReportPdf withDebianFont() {
        return new ReportPdf(JapaneseFont.debian("report"));
    }

    public ReportPdf(Path font) {
        this(new JapaneseFont(font, "report"));
    }

    public static String functionName(String id) {
        return FUNCTIONS.getOrDefault(id, id);
    }

    /** The report of {@code figures} in {@code edition}'s brand. */
    public byte[] render(MonthlyFigures figures, Edition edition) {
        Brand brand = edition.brand();
        try (PDDocument doc = new PDDocument()) {
            PDType0Font f = font.load(doc);
            Color colour = Color.decode(brand.colours().primary());
            Pages p = new Pages(doc, f);
            String month = figures.month().getYear() + "年" + figures.month().getMonthValue() + "月";

            // Heading band in the edition's colour.
            p.cs.setNonStrokingColor(colour);
            p.cs.addRect(0, p.height - 90, p.width, 90);
            p.cs.fill();
            p.cs.setNonStrokingColor(Color.WHITE);
            p.w.left(brand.service().ja(), 11, MARGIN, p.height - 34);
            p.w.left("月次セキュリティレポート　" + month, 20, MARGIN, p.height - 64);
            p.cs.setNonStrokingColor(Color.BLACK);
            p.y = p.height - 120;
            p.w.left(figures.company() + " 御中", 14, MARGIN, p.y);
            p.w.right("発行 " + brand.company().ja(), 9, p.width - MARGIN, p.y);
            p.y -= 14;
            p.w.right("対象期間 " + month + "1日〜" + figures.month().lengthOfMonth() + "日（日本時間）", 9, p.width - MARGIN, p.y);
            p.y -= 28;

            // 1. Summary.
            p.heading("1. 今月のまとめ", colour);
            p.line("検知数（脅威）合計　" + number(figures.total()) + " 件", 11);
            p.line("重要なアラート　★★★ " + figures.alertCount("★★★") + " 件　★★☆ " + figures.alertCount("★★☆") + " 件"
                    + (figures.moreAlerts() > 0 ? "（ほか " + figures.moreAlerts() + " 件）" : ""), 11);
            p.line("機器　" + figures.appliances().size() + " 台", 11);
            p.y -= 8;

            // 2. Per function, against the participants' average.
            p.heading("2. セキュリティ機能別の検知数", colour);
            if (figures.averageShown()) {
                p.line("参加企業 " + figures.participants() + " 社の平均（1社あたり）と比べています。色の棒が貴社、灰色の棒が平均です。", 9);
            } else {
                p.line("参加企業が " + MonthlyFigures.MIN_PEERS + " 社未満（" + figures.participants()
                        + " 社）のため、平均との比較は表示していません。", 9);
            }
            if (figures.functions().isEmpty()) {
                p.line("今月の検知はありませんでした。", 10);
            } else {
                double max = 1;
                for (MonthlyFigures.FunctionCount c : figures.functions()) {
                    max = Math.max(max, c.own());
                    if (figures.averageShown() && c.average().isPresent()) {
                        max = Math.max(max, c.average().getAsDouble());
                    }
                }
                for (MonthlyFigures.FunctionCount c : figures.functions()) {
                    String avg = figures.averageShown() && c.average().isPresent()
                            ? "平均 " + String.format(Locale.ROOT, "%.1f", c.average().getAsDouble()) + " 件" : null;
                    p.bar(functionName(c.function()), c.own(), number(c.own()) + " 件", max, colour,
                            avg == null ? -1 : c.average().getAsDouble(), avg);
                }
            }
            p.y -= 8;

            // 3. Per appliance.
            p.heading("3. 機器別の検知数", colour);
            if (figures.appliances().isEmpty()) {
                p.line("登録された機器はありません。", 10);
            } else {
                double max = Math.max(1, figures.appliances().stream().mapToLong(MonthlyFigures.ApplianceFigures::total).max().orElse(1));
                for (MonthlyFigures.ApplianceFigures a : figures.appliances()) {
                    p.bar(applianceLabel(a.id(), a.name()), a.total(), number(a.total()) + " 件", max, colour, -1, null);
                }
            }
            p.y -= 8;

            // 4. Important alerts and what was done.
            p.heading("4. 重要なアラート（★★★・★★☆）と対応", colour);
            if (figures.alerts().isEmpty()) {
                p.line("今月、重要なアラートはありませんでした。", 10);
            } else {
                for (MonthlyFigures.ImportantAlert a : figures.alerts()) {
                    LocalDateTime at = LocalDateTime.ofInstant(a.first(), MonthlyFigures.ZONE);
                    p.line(a.stars() + "　" + at.format(DAY_TIME) + "　" + a.displayId() + "　" + functionName(a.function())
                            + "　" + (a.appliance().isEmpty() ? "" : a.appliance() + "　") + clip(a.target(), 40), 9);
                    p.line("　　対応: " + action(a), 9);
                }
                if (figures.moreAlerts() > 0) {
                    p.line("ほか " + figures.moreAlerts() + " 件はポータルのアラート一覧でご覧いただけます。", 9);
                }
            }
            p.y -= 8;

            // 5. Appliances: availability and definitions.
            p.heading("5. 機器の稼働状況と定義ファイルの更新", colour);
            if (figures.appliances().isEmpty()) {
                p.line("登録された機器はありません。", 10);
            }
            for (MonthlyFigures.ApplianceFigures a : figures.appliances()) {
                String availability = a.availabilityPercent().isPresent()
                        ? "稼働率 " + String.format(Locale.ROOT, "%.1f", a.availabilityPercent().getAsDouble()) + "%（通信のあった時間 "
                                + a.hoursSeen() + " / " + a.hoursExpected() + " 時間）"
                        : "稼働率 記録なし";
                String definitions = "定義ファイル更新 " + a.definitionsUpdates() + " 回"
                        + a.definitionsSince().map(s -> "（現在の定義 " + date(LocalDate.ofInstant(s, MonthlyFigures.ZONE)) + "から）").orElse("");
                p.line(applianceLabel(a.id(), a.name()), 10);
                p.line("　　" + availability + "　" + definitions, 9);
            }
            p.y -= 12;

            // The desk.
            Terms.Desk desk = edition.terms().desk();
            p.need(40);
            p.w.rule(MARGIN, p.width - MARGIN, p.y + 8);
            p.line("お問い合わせ: " + desk.name().ja() + "　電話 " + desk.phone() + "（" + desk.opens() + "〜" + desk.closes() + "）　" + desk.mail(), 9);
            p.line(brand.service().ja() + "　" + brand.company().ja(), 9);
            p.close();

            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("月次セキュリティレポート " + figures.month() + " " + figures.company());
            info.setAuthor(brand.company().ja());
            Calendar at = new GregorianCalendar(TimeZone.getTimeZone(MonthlyFigures.ZONE), Locale.ROOT);
            at.clear();
            LocalDate issued = figures.month().plusMonths(1).atDay(1);
            at.set(issued.getYear(), issued.getMonthValue() - 1, issued.getDayOfMonth());
            info.setCreationDate(at);
            info.setModificationDate(at);
            byte[] id = id(figures, edition);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            doc.getDocument().getTrailer().setItem(COSName.ID, ids);
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render the report of customer " + figures.customer() + " for " + figures.month()
                    + ": " + e.getMessage(), e);
        }
    }

    /** What was done about an alert, in the customer's words. */
    static String action(MonthlyFigures.ImportantAlert a) {
        List<String> done = new ArrayList<>();
        a.result().ifPresent(r -> done.add(switch (r) {
            case "block" -> "機器が通信を遮断しました";
            case "neutralise" -> "機器がファイルを無害化しました";
            case "pass" -> "通信は通過しました（記録のみ）";
            case "not-scanned" -> "検査できずに通過しました";
            default -> r;
        }));
        if (a.suppressed()) {
            done.add("お客様の設定により通知を止めています");
        } else {
            done.add("メールでお知らせしました");
        }
        a.resolution().ifPresent(r -> done.add(r.equals("BENIGN") ? "調査の結果、問題はありませんでした" : "調査の結果、脅威と確認しました"));
        return String.join("。", done) + "。";
    }

    private static String applianceLabel(String id, String name) {
        return name == null || name.isBlank() ? id : name + "（" + id + "）";
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String date(LocalDate d) {
        return d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
    }

    private static byte[] id(MonthlyFigures figures, Edition edition) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((edition.id() + "\n" + figures).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(h, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pages written so far and where the next line goes; a new page when the current one is full. */
    private static final class Pages {
        final PDDocument doc;
        final PDType0Font font;
        final float width = PDRectangle.A4.getWidth();
        final float height = PDRectangle.A4.getHeight();
        PDPageContentStream cs;
        PdfText w;
        float y;

        Pages(PDDocument doc, PDType0Font font) throws IOException {
            this.doc = doc;
            this.font = font;
            newPage();
        }

        private void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            w = new PdfText(cs, font);
            y = height - MARGIN;
        }

        void need(float space) throws IOException {
            if (y - space < BOTTOM) {
                newPage();
            }
        }

        void heading(String text, Color colour) throws IOException {
            need(40);
            cs.setNonStrokingColor(colour);
            cs.addRect(MARGIN, y - 3, 4, 15);
            cs.fill();
            cs.setNonStrokingColor(Color.BLACK);
            w.left(text, 13, MARGIN + 10, y);
            y -= 22;
        }

        void line(String text, float size) throws IOException {
            need(size + 6);
            w.left(text, size, MARGIN, y);
            y -= size + 6;
        }

        /** A labelled horizontal bar of {@code value} out of {@code max}, and a grey one of {@code average} below it when not negative. */
        void bar(String label, double value, String valueText, double max, Color colour, double average, String averageText) throws IOException {
            float labelWidth = 170;
            float barMax = width - 2 * MARGIN - labelWidth - 90;
            need(average >= 0 ? 30 : 18);
            w.left(clip(label, 24), 9, MARGIN, y);
            float x = MARGIN + labelWidth;
            cs.setNonStrokingColor(colour);
            cs.addRect(x, y - 2, (float) (barMax * value / max), 10);
            cs.fill();
            cs.setNonStrokingColor(Color.BLACK);
            w.left(valueText, 9, x + (float) (barMax * value / max) + 4, y);
            y -= 13;
            if (average >= 0) {
                cs.setNonStrokingColor(GREY);
                cs.addRect(x, y - 1, (float) (barMax * average / max), 7);
                cs.fill();
                cs.setNonStrokingColor(Color.BLACK);
                w.left(averageText, 8, x + (float) (barMax * average / max) + 4, y - 1);
                y -= 12;
            }
            y -= 3;
        }

        void close() throws IOException {
            cs.close();
        }
    }
}
