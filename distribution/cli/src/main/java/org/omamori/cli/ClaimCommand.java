package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.omamori.backoffice.billing.Yen;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.backoffice.insurance.Claim;
import org.omamori.backoffice.insurance.ClaimFlow;
import org.omamori.desk.ClaimDesk;
import org.omamori.store.Claims;
import org.omamori.store.Contracts;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori insurance claim}: the stored insurance claims, step by step ①–⑨ (docs/insurance.md "Claims"). */
@Command(name = "claim", mixinStandardHelpOptions = true,
        description = {"Insurance claims kept in the cloud's store (docs/insurance.md \"Claims\"). 'open' starts a claim on a contract",
                "from an alert mail and prints its id; each other step subcommand takes the next step on claim ID (at --at, default",
                "now in Japan) and prints the claim: scan-asked, scanned, vendors, schedule, dispatched (checked against the",
                "insurance with the contract's stored claims of that insurance year), reported, claimed, paid. 'list' and 'show' read.",
                "Exit codes: 0 done, 1 a step the claim's state or the insurance does not allow (the message says why; a dispatch",
                "not covered is saved as refused), or the store could not be opened, 2 bad usage."})
final class ClaimCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--at", scope = ScopeType.INHERIT, paramLabel = "DATETIME",
            description = "When the step happened: YYYY-MM-DDTHH:MM (Japan) or with an offset (default: now).")
    String at;

    /** A step on a stored claim: given its flow and the claim, the next claim. */
    @FunctionalInterface
    interface Step {
        Claim take(ClaimFlow flow, Claims.Stored stored, ZonedDateTime at, Store store);
    }

    @Command(name = "open", description = "① ② Opens a claim on a contract after a ★★★ alert mail (or a ★★☆ one raised with --raised and "
            + "its full scan's result) and prints the claim id.")
    int open(@Option(names = "--contract", required = true, paramLabel = "ID") long contract,
             @Option(names = "--alert-mail", required = true, paramLabel = "DATETIME",
                     description = "When the alert mail arrived: YYYY-MM-DDTHH:MM (Japan) or with an offset.") String alertMail,
             @Option(names = "--raised", description = "A ★★☆ alert raised by mail to ★★★-equivalent (needs --scan).") boolean raised,
             @Option(names = "--scan", paramLabel = "TEXT", description = "The full scan's result.") String scan,
             @Option(names = "--alert", paramLabel = "ID", description = "The alert's id as the mail showed it.") String alert) {
        return run(store -> {
            Contracts.Stored k = store.contracts().get(TenantScope.operator(), contract)
                    .orElseThrow(() -> new IllegalArgumentException("no contract " + contract));
            ClaimFlow flow = new ClaimFlow(CliEditions.edition(k.contract().edition()));
            Claim c = flow.request(CliDates.dateTime("--alert-mail", alertMail), !raised, Optional.ofNullable(scan), now());
            out().println(store.claims().open(contract, Optional.ofNullable(alert), c));
            return 0;
        });
    }

    @Command(name = "scan-asked", description = "③ The desk asked the customer for a full virus scan.")
    int scanAsked(@Parameters(paramLabel = "ID") long id) {
        return step(id, (f, s, t, store) -> f.askScan(s.claim(), t));
    }

    @Command(name = "scanned", description = "③ The full scan's result.")
    int scanned(@Parameters(paramLabel = "ID") long id, @Option(names = "--result", required = true, paramLabel = "TEXT") String result) {
        return step(id, (f, s, t, store) -> f.scanned(s.claim(), result, t));
    }

    @Command(name = "vendors", description = "④ The desk gave the dispatch vendors of the customer's region.")
    int vendors(@Parameters(paramLabel = "ID") long id, @Option(names = "--region", required = true, paramLabel = "TEXT") String region) {
        return step(id, (f, s, t, store) -> f.listVendors(s.claim(), region, t));
    }

    @Command(name = "schedule", description = "⑤ The customer scheduled a vendor for a day.")
    int schedule(@Parameters(paramLabel = "ID") long id, @Option(names = "--vendor", required = true, paramLabel = "NAME") String vendor,
                 @Option(names = "--day", required = true, paramLabel = "DATE") String day) {
        return step(id, (f, s, t, store) -> f.schedule(s.claim(), vendor, CliDates.date("--day", day), t));
    }

    @Command(name = "dispatched", description = "⑥ The vendor worked on site on --day: checked against the insurance (the contract's "
            + "service start and renewal, and what its stored claims used of that insurance year); not covered, the claim is refused.")
    int dispatched(@Parameters(paramLabel = "ID") long id, @Option(names = "--day", required = true, paramLabel = "DATE") String day) {
        return run(store -> finish(desk(store).dispatched(TenantScope.operator(), id,
                CliDates.date("--day", day), now())));
    }

    @Command(name = "reported", description = "⑦ The vendor's report and invoice (yen, tax included): the insurance pays at most the "
            + "dispatch's limit, the rest is the customer's own.")
    int reported(@Parameters(paramLabel = "ID") long id, @Option(names = "--invoiced", required = true, paramLabel = "YEN") long invoiced) {
        return step(id, (f, s, t, store) -> f.reported(s.claim(), invoiced, t));
    }

    @Command(name = "claimed", description = "⑧ The desk claimed from the insurer.")
    int claimed(@Parameters(paramLabel = "ID") long id) {
        return step(id, (f, s, t, store) -> f.claim(s.claim(), t));
    }

    @Command(name = "paid", description = "⑨ The insurer paid the vendor.")
    int paid(@Parameters(paramLabel = "ID") long id) {
        return step(id, (f, s, t, store) -> f.paid(s.claim(), t));
    }

    @Command(name = "list", description = "Lists the claims, newest first: id, contract, customer, state, alert mail, dispatch, amounts.")
    int list(@Option(names = "--contract", paramLabel = "ID", description = "Only this contract's claims.") Long contract) {
        return run(store -> {
            Table table = new Table().row("ID", "契約", "顧客/customer", "エディション", "状態/state", "アラートメール", "駆け付け",
                    "請求額", "保険", "お客様負担");
            for (Claims.Stored s : store.claims().list(TenantScope.operator())) {
                if (contract != null && s.contract() != contract) {
                    continue;
                }
                Claim c = s.claim();
                boolean billed = c.invoiced().isPresent();
                table.row(String.valueOf(s.id()), String.valueOf(s.contract()), customer(s), s.edition(), c.state().ja(),
                        Table.JST.format(c.alertMail()), c.dispatch().map(LocalDate::toString).orElse(""),
                        c.invoiced().map(Yen::of).orElse(""), billed ? Yen.of(c.paid().orElse(0L)) : "",
                        billed ? Yen.of(ClaimFlow.customersOwn(c)) : "");
            }
            table.print(out());
            return 0;
        });
    }

    @Command(name = "show", description = "Prints one claim: its alert, scan, vendor, dispatch, amounts and every step with time and actor.")
    int show(@Parameters(paramLabel = "ID") long id) {
        return run(store -> {
            print(claim(store, id));
            return 0;
        });
    }

    private int step(long id, Step step) {
        return run(store -> finish(desk(store).step(TenantScope.operator(), id,
                (f, s, t) -> step.take(f, s, t, store), now())));
    }

    /** Prints the claim after a step: 0, or 1 when the step refused it (the reason printed). */
    private int finish(Claims.Stored saved) {
        print(saved);
        if (saved.claim().state() == Claim.State.REFUSED) {
            spec.commandLine().getErr().println("omamori insurance claim: " + saved.claim().steps().getLast().what());
            return 1;
        }
        return 0;
    }

    private static Claims.Stored claim(Store store, long id) {
        return store.claims().get(TenantScope.operator(), id).orElseThrow(() -> new IllegalArgumentException("no claim " + id));
    }

    private void print(Claims.Stored s) {
        PrintWriter out = out();
        Claim c = s.claim();
        out.println("請求番号 " + s.id() + "  契約 " + s.contract() + "  エディション " + s.edition() + "  状態 " + c.state().ja() + " ("
                + c.state() + ")");
        out.println("顧客 " + customer(s) + "  販売店 " + s.reseller().value() + "  アラートメール " + Table.JST.format(c.alertMail())
                + (c.raised() ? "（★★☆を★★★相当に引き上げ）" : "（★★★）") + s.alert().map(a -> "  アラート " + a).orElse(""));
        c.scanResult().ifPresent(r -> out.println("フルスキャン結果 " + r));
        if (c.vendor().isPresent() || c.dispatch().isPresent()) {
            out.println("駆け付け " + c.vendor().orElse("") + c.dispatch().map(d -> "  " + d).orElse(""));
        }
        if (c.invoiced().isPresent()) {
            out.println("請求額 " + Yen.of(c.invoiced().get()) + "  保険 " + Yen.of(c.paid().orElse(0L)) + "  お客様のご負担 "
                    + Yen.of(ClaimFlow.customersOwn(c)));
        } else if (c.state() == Claim.State.DISPATCHED) {
            out.println("今回の上限 " + Yen.of(c.paid().orElse(0L)) + "（超える分はお客様のご負担）");
        }
        Table table = new Table().row("日時", "→", "誰が", "内容");
        for (Claim.Step step : c.steps()) {
            table.row(Table.JST.format(step.at()), step.to().ja(), step.by().name(), step.what());
        }
        table.print(out);
    }

    private static String customer(Claims.Stored s) {
        return s.customer().map(x -> String.valueOf(x.value())).orElse("(消去済み)");
    }

    private ZonedDateTime now() {
        return at == null ? ZonedDateTime.now(CliDates.JST) : CliDates.dateTime("--at", at);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int run(CloudStoreAccess.StoreBody body) {
        return CloudStoreAccess.run(spec, home, "omamori insurance claim", 1, body);
    }

    /** The claims' desk on the home's store, mailing in each customer's edition's brand. */
    private ClaimDesk desk(Store store) throws java.io.IOException {
        return new ClaimDesk(store, CliEditions::edition, CloudStoreAccess.brands(CloudStoreAccess.home(home)));
    }

}
