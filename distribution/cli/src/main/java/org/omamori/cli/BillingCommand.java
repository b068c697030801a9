package org.omamori.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import org.omamori.backoffice.billing.Charge;
import org.omamori.backoffice.billing.Quote;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.backoffice.billing.Quotes;
import org.omamori.backoffice.edition.Editions;
import org.omamori.api.edition.Edition;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./omamori billing}: what an edition's terms make of a contract (docs/billing.md). */
@Command(name = "billing", mixinStandardHelpOptions = true, description = "Billing by an edition's terms.",
        subcommands = BillingCommand.QuoteCommand.class)
final class BillingCommand {

    @Command(name = "quote", mixinStandardHelpOptions = true,
            description = "Prints the start date, the end of the first period, the free period, each charge of the first "
                + "invoice with its amount and due date, and the total, by the edition's terms (an installed edition: "
                + "./omamori editions lists them). Exit 0, or 2 for bad usage (an unknown edition, a bad date, what the edition needs "
                + "missing).")
    static final class QuoteCommand implements Callable<Integer> {

        @Option(names = "--edition", required = true, paramLabel = "E", description = "The edition's id, e.g. osaka, matsumoto, niigata, vario.")
        String edition;

        @Option(names = "--applied", required = true, paramLabel = "DATE", description = "The application day, YYYY-MM-DD (Japan).")
        String applied;

        @Option(names = "--approved", paramLabel = "DATE", description = "The approval day (the contract is formed); default: the application day.")
        String approved;

        @Option(names = "--start", paramLabel = "DATE", description = "The agreed start where the terms have one (vario: the installation day).")
        String start;

        @ArgGroup(exclusive = true)
        Membership membership;

        static final class Membership {
            @Option(names = "--member", description = "A member of a chamber of commerce or 商工会 on the approval day (niigata).")
            boolean member;

            @Option(names = "--non-member", description = "Not a member (niigata).")
            boolean nonMember;
        }

        @Option(names = "--appliances", paramLabel = "N", defaultValue = "1", description = "Appliances (vario; default: ${DEFAULT-VALUE}).")
        int appliances;

        @Option(names = "--pcs", paramLabel = "N", defaultValue = "0", description = "Protected PCs (vario; default: ${DEFAULT-VALUE}).")
        int pcs;

        @Option(names = "--monthly-fee", paramLabel = "YEN", description = "The monthly fee where the reseller sets it (osaka, matsumoto).")
        Long monthlyFee;

        @Option(names = "--json", description = "One JSON object instead of text.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Editions editions = CliEditions.installed();
            Edition terms = editions.installed(edition).map(Editions.Installed::edition).orElse(null);
            if (terms == null) {
                err.println("omamori billing quote: unknown edition " + edition + "; known: "
                        + String.join(", ", editions.installed().stream().map(Editions.Installed::id).toList()));
                return 2;
            }
            Quote quote;
            try {
                QuoteRequest request = QuoteRequest.appliedOn(CliDates.date("--applied", applied)).appliances(appliances).pcs(pcs);
                if (approved != null) {
                    request = request.approvedOn(CliDates.date("--approved", approved));
                }
                if (start != null) {
                    request = request.startingOn(CliDates.date("--start", start));
                }
                if (membership != null) {
                    request = request.member(membership.member);
                }
                if (monthlyFee != null) {
                    request = request.monthlyFee(monthlyFee);
                }
                quote = Quotes.quote(terms, request);
            } catch (IllegalArgumentException e) {
                err.println("omamori billing quote: " + e.getMessage());
                return 2;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(json(terms, quote));
            } else {
                text(terms, quote, out);
            }
            return 0;
        }

    }

    static void text(Edition terms, Quote q, PrintWriter out) {
        out.println(terms.brand().company().ja() + " " + terms.brand().service().ja() + "（" + terms.id() + "）のお見積り");
        out.println("利用開始日        " + q.start());
        q.firstPeriodEnd().ifPresent(d -> out.println("初回の利用期間    " + q.start() + " 〜 " + d));
        q.freeUntil().ifPresent(d -> out.println("無償期間          " + q.start() + " 〜 " + d));
        out.println("課金開始日        " + q.billingFrom());
        Table table = new Table();
        table.row("項目", "税抜", "消費税", "税込", "支払期日");
        for (Charge c : q.charges()) {
            table.row(c.item(), yen(c.amount().net()), yen(c.amount().tax()), yen(c.amount().gross()), c.due().map(LocalDate::toString).orElse("請求書の期日"));
        }
        Charge.Amount total = q.total();
        table.row("合計", yen(total.net()), yen(total.tax()), yen(total.gross()), "");
        table.print(out);
        for (Charge c : q.charges()) {
            if (!c.note().isEmpty()) {
                out.println("※ " + c.item() + ": " + c.note());
            }
        }
        q.notes().forEach(n -> out.println("・" + n));
        out.println("消費税は円未満切り捨て。");
    }

    /** The quote as one JSON object, written by Jackson's generator (escaping is its business). */
    static String json(Edition terms, Quote q) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("edition", terms.id());
            g.writeStringField("start", q.start().toString());
            if (q.firstPeriodEnd().isPresent()) {
                g.writeStringField("firstPeriodEnd", q.firstPeriodEnd().get().toString());
            }
            if (q.freeUntil().isPresent()) {
                g.writeStringField("freePeriod", q.start() + "/" + q.freeUntil().get());
            }
            g.writeStringField("billingFrom", q.billingFrom().toString());
            g.writeArrayFieldStart("charges");
            for (Charge c : q.charges()) {
                g.writeStartObject();
                g.writeStringField("item", c.item());
                amount(g, c.amount());
                if (c.due().isPresent()) {
                    g.writeStringField("due", c.due().get().toString());
                }
                g.writeStringField("note", c.note());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("total");
            amount(g, q.total());
            g.writeEndObject();
            g.writeArrayFieldStart("notes");
            for (String n : q.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void amount(com.fasterxml.jackson.core.JsonGenerator g, Charge.Amount a) throws java.io.IOException {
        g.writeNumberField("net", a.net());
        g.writeNumberField("tax", a.tax());
        g.writeNumberField("gross", a.gross());
    }

    private static String yen(long amount) {
        return String.format(java.util.Locale.ROOT, "%,d", amount);
    }
}
