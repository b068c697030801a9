package org.omamori.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.api.edition.Terms.Tax;
import org.omamori.backoffice.billing.Bill;
import org.omamori.backoffice.billing.Bills;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.backoffice.contract.Contract;
import org.omamori.backoffice.contract.Lifecycle;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.backoffice.invoice.Invoice;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.vario.VarioEdition;

/** Qualified invoices: their totals per rate, their PDF read back as text, the same bytes twice (docs/invoices.md). */
class InvoiceTest {

    static InvoicePdf pdf;

    @BeforeAll
    static void font() throws Exception {
        Path script = Path.of("../../scripts/fonts.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(script.toString(), "install").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("scripts/fonts.sh install: " + out).isZero();
        pdf = new InvoicePdf(Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow()));
    }

    static String text(byte[] bytes) throws Exception {
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void niigatasFirstPaymentIsAQualifiedInvoiceThatReadsBackAndRendersToTheSameBytes() throws Exception {
        var niigata = new NiigataEdition();
        Lifecycle l = new Lifecycle(niigata);
        Contract c = l.approve(l.apply(QuoteRequest.appliedOn(d("2026-05-05")).member(true)), d("2026-05-14"));
        Bill bill = Bills.forMonth(niigata, c, YearMonth.of(2026, 5));
        Invoice invoice = new Invoice(Invoice.Issuer.of(niigata), "株式会社テスト商会", 42, d("2026-05-15"), YearMonth.of(2026, 5),
                Invoice.dueOf(bill, d("2026-05-15")), bill.lines());
        assertThat(invoice.due()).isEqualTo(d("2026-05-25"));
        assertThat(invoice.rates()).containsExactly(new Invoice.RateTotal(10, true, 54_000, 5_400));
        byte[] first = pdf.render(invoice);
        assertThat(pdf.render(invoice)).as("the same data, the same bytes").isEqualTo(first);
        String text = text(first);
        assertThat(text).contains("請求書", "NIIGATA-000042", "2026年5月15日", "株式会社テスト商会 御中", "新潟商工会議所",
                "登録番号 T0000000000003", "59,400円", "10%対象", "税抜 54,000円", "消費税 5,400円", "2026年5月25日",
                "1円未満を切り捨て", "9か月");
        assertThat(pdf.render(new Invoice(invoice.issuer(), invoice.recipient(), 43, invoice.issued(), invoice.month(), invoice.due(),
                invoice.lines()))).as("another number, other bytes").isNotEqualTo(first);
    }

    @Test
    void varioBillsTheInitialFeeWithTheFirstMonthAndTaxIsRoundedOncePerRate() throws Exception {
        var vario = new VarioEdition();
        Lifecycle l = new Lifecycle(vario);
        Contract c = l.activate(l.ship(l.approve(l.apply(QuoteRequest.appliedOn(d("2026-05-20")).pcs(3)), d("2026-05-25")),
                d("2026-06-01")), d("2026-06-10"));
        assertThatThrownBy(() -> Bills.forMonth(vario, c, YearMonth.of(2026, 6))).hasMessageContaining("billing starts in 2026-07");
        Bill july = Bills.forMonth(vario, c, YearMonth.of(2026, 7));
        assertThat(july.lines()).extracting(Bill.Line::listed).containsExactly(80_000L, 9_800L, 4_200L);
        Bill august = Bills.forMonth(vario, c, YearMonth.of(2026, 8));
        assertThat(august.lines()).hasSize(2);
        Invoice invoice = new Invoice(Invoice.Issuer.of(vario), "有限会社ブイ", 1, d("2026-08-01"), YearMonth.of(2026, 7),
                Invoice.dueOf(july, d("2026-08-01")), july.lines());
        assertThat(invoice.rates()).containsExactly(new Invoice.RateTotal(10, false, 94_000, 9_400));
        assertThat(invoice.total()).isEqualTo(103_400);
        assertThat(text(pdf.render(invoice))).contains("VARIO-000001", "バリオセキュア株式会社", "80,000円（税抜）", "103,400円");

        var once = new Invoice(invoice.issuer(), "x", 2, d("2026-08-01"), YearMonth.of(2026, 7), d("2026-08-31"),
                List.of(new Bill.Line("a", 1_999, Tax.EXCLUDED_10), new Bill.Line("b", 1_999, Tax.EXCLUDED_10)));
        assertThat(once.rates().getFirst().tax()).as("once on 3,998, not 199 + 199").isEqualTo(399);
    }

    @Test
    void anEditionWithoutARegistrationNumberIssuesNoQualifiedInvoicesAndMixedListingIsRefused() {
        assertThatThrownBy(() -> Invoice.Issuer.of(NeutralEdition.INSTANCE)).hasMessageContaining("no qualified-invoice registration");
        var issuer = Invoice.Issuer.of(new NiigataEdition());
        assertThatThrownBy(() -> new Invoice(issuer, "x", 1, d("2026-08-01"), YearMonth.of(2026, 7), d("2026-08-31"),
                List.of(new Bill.Line("a", 1, Tax.EXCLUDED_10), new Bill.Line("b", 1, Tax.INCLUDED_10))))
                .hasMessageContaining("all listed with tax or all without");
        assertThatThrownBy(() -> new InvoicePdf(Path.of("/no/such/font.ttf"))).hasMessageContaining("fonts.sh install");
    }
}
