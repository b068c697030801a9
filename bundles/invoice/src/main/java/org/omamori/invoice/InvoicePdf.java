package org.omamori.invoice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
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
import org.omamori.backoffice.billing.Bill;
import org.omamori.pdf.JapaneseFont;
import org.omamori.pdf.PdfText;
import org.omamori.backoffice.billing.Yen;
import org.omamori.backoffice.invoice.Invoice;

/**
 * An invoice as a one-page A4 Japanese PDF (docs/invoices.md): the same invoice gives the same
 * bytes (fixed dates, an id made from the content, a font subset whose tag follows its glyphs), so
 * a copy can be made again from the stored data and compared with what was sent.
 */
public final class InvoicePdf {

    /** Where Debian's fonts-ipafont-gothic puts IPA Gothic (scripts/fonts.sh installs it). */
    public static final Path DEBIAN_IPA_GOTHIC = JapaneseFont.DEBIAN_IPA_GOTHIC;

    private static final float MARGIN = 56;
    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    private final JapaneseFont font;

    /** @param font a TrueType font with Japanese glyphs, embedded as a subset */
    public InvoicePdf(Path font) {
        this.font = new JapaneseFont(font, "invoice");
    }

    /** IPA Gothic where Debian installs it. */
    public static InvoicePdf withDebianFont() {
        return new InvoicePdf(DEBIAN_IPA_GOTHIC);
    }

    public byte[] render(Invoice invoice) {
        try (PDDocument doc = new PDDocument()) {
            PDType0Font f = font.load(doc);
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            float width = page.getMediaBox().getWidth();
            float top = page.getMediaBox().getHeight() - MARGIN;
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                PdfText w = new PdfText(cs, f);
                w.centered("請求書", 22, width / 2, top);
                float y = top - 40;
                w.right("請求書番号 " + invoice.numberText(), 10, width - MARGIN, y);
                w.right("発行日 " + date(invoice.issued().toString()), 10, width - MARGIN, y - 14);
                w.left(invoice.recipient() + " 御中", 14, MARGIN, y - 6);
                y -= 44;
                w.right(invoice.issuer().name(), 11, width - MARGIN, y);
                w.right("登録番号 " + invoice.issuer().registration(), 10, width - MARGIN, y - 14);
                w.right(invoice.issuer().contact(), 8, width - MARGIN, y - 28);
                y -= 60;
                w.left("下記のとおりご請求申し上げます。", 10, MARGIN, y);
                y -= 24;
                w.left("ご請求金額（税込）  " + Yen.of(invoice.total()), 16, MARGIN, y);
                y -= 20;
                w.left("対象月 " + invoice.month().getYear() + "年" + invoice.month().getMonthValue() + "月    お支払期日 "
                        + date(invoice.due().toString()), 10, MARGIN, y);
                y -= 30;
                float amountX = width - MARGIN - 60;
                float rateX = width - MARGIN;
                w.left("品目", 10, MARGIN, y);
                w.right("金額", 10, amountX, y);
                w.right("税率", 10, rateX, y);
                w.rule(MARGIN, width - MARGIN, y - 4);
                y -= 20;
                for (Bill.Line l : invoice.lines()) {
                    w.left(l.item(), 9, MARGIN, y);
                    w.right(Yen.of(l.listed()) + (l.tax().included() ? "（税込）" : "（税抜）"), 9, amountX, y);
                    w.right(l.tax().ratePercent() + "%", 9, rateX, y);
                    y -= 16;
                }
                w.rule(MARGIN, width - MARGIN, y + 10);
                y -= 8;
                for (Invoice.RateTotal r : invoice.rates()) {
                    w.right(r.ratePercent() + "%対象  税抜 " + Yen.of(r.net()) + "  消費税 " + Yen.of(r.tax()) + "  税込 " + Yen.of(r.gross()), 10,
                            width - MARGIN, y);
                    y -= 16;
                }
                w.right("合計（税込） " + Yen.of(invoice.total()), 12, width - MARGIN, y - 4);
                y -= 40;
                for (String note : List.of(
                        "消費税額は、税率ごとに合計した金額に対して1円未満を切り捨てて計算しています。",
                        "本書は適格請求書です。金額はすべて日本円（1円単位）です。")) {
                    w.left(note, 8, MARGIN, y);
                    y -= 12;
                }
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("請求書 " + invoice.numberText());
            info.setAuthor(invoice.issuer().name());
            Calendar at = new GregorianCalendar(TimeZone.getTimeZone(JST), Locale.ROOT);
            at.clear();
            at.set(invoice.issued().getYear(), invoice.issued().getMonthValue() - 1, invoice.issued().getDayOfMonth());
            info.setCreationDate(at);
            info.setModificationDate(at);
            byte[] id = id(invoice);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            doc.getDocument().getTrailer().setItem(COSName.ID, ids);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render invoice " + invoice.numberText() + ": " + e.getMessage(), e);
        }
    }

    /** The document id: the first 16 bytes of SHA-256 over the invoice's content, so it is the same each time. */
    private static byte[] id(Invoice invoice) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(invoice.toString().getBytes(StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(h, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    private static String date(String iso) {
        return iso.substring(0, 4) + "年" + Integer.parseInt(iso.substring(5, 7)) + "月" + Integer.parseInt(iso.substring(8, 10)) + "日";
    }
}
