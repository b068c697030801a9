package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.billing.Bill;
import org.omamori.backoffice.billing.Bills;
import org.omamori.backoffice.billing.Yen;
import org.omamori.backoffice.invoice.Invoice;
import org.omamori.invoice.InvoicePdf;
import org.omamori.store.Contracts;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori invoice}: qualified invoices per contract and month (docs/invoices.md). */
@Command(name = "invoice", mixinStandardHelpOptions = true,
        description = {"Back office: qualified invoices (適格請求書, docs/invoices.md). 'issue' bills a contract's month under its",
                "edition's terms and prints the invoice number (numbers run without gaps per edition); 'list' lists them;",
                "'pdf' writes one as a Japanese PDF, the same bytes every time. Exit codes: 0 done, 1 the store could not be",
                "opened or the PDF not written, 2 bad usage or nothing to bill (said why)."})
final class InvoiceCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Command(name = "issue", description = "Issues contract ID's invoice for --month (YYYY-MM), dated --on (default today), and prints its number.")
    int issue(@Option(names = "--contract", required = true, paramLabel = "ID") long contract,
              @Option(names = "--month", required = true, paramLabel = "YYYY-MM") String month,
              @Option(names = "--on", paramLabel = "DATE") String on) {
        PrintWriter err = spec.commandLine().getErr();
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            Contracts.Stored s = store.contracts().get(TenantScope.operator(), contract)
                    .orElseThrow(() -> new IllegalArgumentException("no contract " + contract));
            Edition edition = CliEditions.edition(s.contract().edition());
            YearMonth billed = month(month);
            LocalDate issued = on == null ? LocalDate.now(ZoneId.of("Asia/Tokyo")) : LocalDate.parse(on);
            Bill bill = Bills.forMonth(edition, s.contract(), billed);
            String recipient = s.customer().flatMap(c -> store.tenants().profile(TenantScope.operator(), c)).map(p -> p.name())
                    .orElseThrow(() -> new IllegalArgumentException("contract " + contract + " has no customer any more (its data was erased)"));
            Invoice.Issuer issuer = Invoice.Issuer.of(edition);
            Invoice invoice = store.invoices().issue(contract, billed,
                    n -> new Invoice(issuer, recipient, n, issued, billed, Invoice.dueOf(bill, issued), bill.lines()));
            spec.commandLine().getOut().println(invoice.numberText() + "  " + Yen.of(invoice.total()) + "  お支払期日 " + invoice.due());
            return 0;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("omamori invoice: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("omamori invoice: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "list", description = "Lists the invoices: number, month, recipient, total (tax included), due date.")
    int list() {
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            Table table = new Table().row("番号/number", "対象月", "宛先/recipient", "合計（税込）", "期日/due");
            for (Invoice i : store.invoices().list(TenantScope.operator())) {
                table.row(i.numberText(), i.month().toString(), i.recipient(), Yen.of(i.total()), i.due().toString());
            }
            table.print(spec.commandLine().getOut());
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("omamori invoice: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "pdf", description = "Writes invoice NUMBER (e.g. NIIGATA-000042) as a PDF to --out.")
    int pdf(@Parameters(paramLabel = "NUMBER") String number,
            @Option(names = "--out", required = true, paramLabel = "FILE") Path out,
            @Option(names = "--font", paramLabel = "TTF", description = "A TrueType font with Japanese glyphs (default: Debian's IPA Gothic).")
            Path font) {
        PrintWriter err = spec.commandLine().getErr();
        int dash = number.lastIndexOf('-');
        long n;
        try {
            n = Long.parseLong(number.substring(dash + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            err.println("omamori invoice: " + number + " is not an invoice number like NIIGATA-000042");
            return 2;
        }
        if (dash < 1) {
            err.println("omamori invoice: " + number + " is not an invoice number like NIIGATA-000042");
            return 2;
        }
        String issuer = number.substring(0, dash).toLowerCase(Locale.ROOT);
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            Invoice invoice = store.invoices().get(TenantScope.operator(), issuer, n).orElse(null);
            if (invoice == null) {
                err.println("omamori invoice: no invoice " + number);
                return 2;
            }
            InvoicePdf pdf;
            try {
                pdf = font == null ? InvoicePdf.withDebianFont() : new InvoicePdf(font);
            } catch (IllegalArgumentException e) {
                err.println("omamori invoice: " + e.getMessage());
                return 1;
            }
            Files.write(out, pdf.render(invoice));
            spec.commandLine().getOut().println(out);
            return 0;
        } catch (Exception e) {
            err.println("omamori invoice: " + e.getMessage());
            return 1;
        }
    }

    private static YearMonth month(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--month " + text + " is not a month YYYY-MM");
        }
    }

}
