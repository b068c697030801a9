package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.backoffice.contract.Contract;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.backoffice.contract.Lifecycle;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.notify.ContractMail;
import org.omamori.notify.MailBrands;
import org.omamori.store.Contracts;
import org.omamori.store.CustomerId;
import org.omamori.store.Reseller;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./omamori contract}: the back office's contracts (docs/contracts.md). */
@Command(name = "contract", mixinStandardHelpOptions = true,
        description = {"Back office: contracts by their edition's terms (docs/contracts.md). 'create' takes an application for a",
                "customer; each other subcommand takes one step on contract ID on a day (--on, default today in Japan) and",
                "prints the contract: approve (sends the approval mail, which forms the contract), refuse, pay, ship, activate,",
                "start, renew, suspend, resume, cancel, terminate, end (erases the customer's data). 'list' and 'show' read.",
                "Exit codes: 0 done, 1 the store could not be opened, 2 bad usage or a step the state or terms do not allow",
                "(the message names the rule)."})
final class ContractCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    /** A step on a stored contract: given the life cycle and the contract, the next contract. */
    @FunctionalInterface
    interface Step {
        Contract take(Lifecycle lifecycle, Contract contract, LocalDate on);
    }

    @Command(name = "create", description = "Takes an application for a customer (its reseller's edition's terms) and prints the contract id.")
    int create(@Option(names = "--customer", required = true, paramLabel = "ID") long customer,
               @Option(names = "--applied", paramLabel = "DATE", description = "The application day (default: today).") String applied,
               @Option(names = "--member", description = "A member of a chamber of commerce or 商工会 (niigata).") boolean member,
               @Option(names = "--non-member", description = "Not a member (niigata).") boolean nonMember,
               @Option(names = "--appliances", defaultValue = "1", paramLabel = "N") int appliances,
               @Option(names = "--pcs", defaultValue = "0", paramLabel = "N") int pcs,
               @Option(names = "--monthly-fee", paramLabel = "YEN", description = "The monthly fee agreed, where the terms leave it "
                       + "to each contract (osaka, matsumoto).") Long monthlyFee) {
        return run(store -> {
            CustomerId c = new CustomerId(customer);
            var known = store.tenants().customers(TenantScope.operator()).stream().filter(x -> x.id().equals(c)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no customer " + customer));
            Reseller reseller = store.tenants().resellers(TenantScope.operator()).stream().filter(r -> r.id().equals(known.reseller()))
                    .findFirst().orElseThrow();
            QuoteRequest r = QuoteRequest.appliedOn(date("--applied", applied)).appliances(appliances).pcs(pcs);
            if (member && nonMember) {
                throw new IllegalArgumentException("--member and --non-member exclude each other");
            }
            if (member || nonMember) {
                r = r.member(member);
            }
            if (monthlyFee != null) {
                r = r.monthlyFee(monthlyFee);
            }
            Contract contract = lifecycle(reseller.edition().orElse(NeutralEdition.ID)).apply(r);
            long id = store.contracts().create(c, contract);
            out().println(id);
            return 0;
        });
    }

    @Command(name = "list", description = "Lists the contracts: id, customer, edition, state, who acts next, on what, by when.")
    int list() {
        return run(store -> {
            Table table = new Table().row("ID", "顧客/customer", "エディション", "状態/state", "次/next", "内容", "期日/by");
            for (Contracts.Stored s : store.contracts().list(TenantScope.operator())) {
                Lifecycle.Next next = lifecycle(s.contract().edition()).next(s.contract());
                table.row(String.valueOf(s.id()), s.customer().map(c -> String.valueOf(c.value())).orElse("(消去済み)"),
                        s.contract().edition(), s.contract().state().ja(), next.actor().name(), next.whatJa(),
                        next.by().map(LocalDate::toString).orElse(""));
            }
            table.print(out());
            return 0;
        });
    }

    @Command(name = "show", description = "Prints one contract: its dates and every step taken.")
    int show(@Parameters(paramLabel = "ID") long id) {
        return run(store -> {
            print(store.contracts().get(TenantScope.operator(), id).orElseThrow(() -> new IllegalArgumentException("no contract " + id)));
            return 0;
        });
    }

    @Command(name = "refund", description = "Prints the refund the contract's terms give after a notice (docs/notices.md): for a "
            + "specification or terms change, a cancellation within 2 months of the notice (Niigata 第12条5); for the abolition, "
            + "the months after it (第11条2).")
    int refund(@Parameters(paramLabel = "ID") long id, @Option(names = "--notice", required = true, paramLabel = "N") long notice,
               @Option(names = "--paid", required = true, paramLabel = "YEN", description = "Paid for the period in force, tax included.") long paid,
               @Option(names = "--cancelled", paramLabel = "DATE", description = "The cancellation's day (default: today).") String cancelled) {
        return run(store -> {
            Contracts.Stored s = store.contracts().get(TenantScope.operator(), id).orElseThrow(() -> new IllegalArgumentException("no contract " + id));
            org.omamori.store.Announcement a = store.announcements().list(TenantScope.operator()).stream().filter(x -> x.id() == notice)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no notice " + notice));
            Lifecycle l = lifecycle(s.contract().edition());
            long yen = switch (a.kind()) {
                case SPEC_CHANGE, TERMS_CHANGE -> l.serviceChangeRefund(s.contract(), a.publishedAt().atZone(CliDates.JST).toLocalDate(),
                        date("--cancelled", cancelled), paid);
                case ABOLITION -> l.abolitionRefund(s.contract(), java.time.YearMonth.from(a.effectiveOn().orElseThrow()), paid);
                default -> throw new IllegalArgumentException("notice " + notice + " is a " + a.kind().ja() + ", not a change");
            };
            out().println("返金額 " + org.omamori.backoffice.billing.Yen.of(yen) + "（" + a.kind().ja() + "、お知らせ " + notice + "）");
            out().flush();
            return 0;
        });
    }

    @Command(name = "approve", description = "Approves the application: the approval mail goes to the customer and forms the contract.")
    int approve(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.approve(c, d), true);
    }

    @Command(name = "refuse", description = "Refuses (or withdraws) an application; the applicant's data is erased.")
    int refuse(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on,
               @Option(names = "--reason", required = true) String reason) {
        return step(id, on, (l, c, d) -> l.refuse(c, d, reason), false);
    }

    @Command(name = "pay", description = "Records a payment (before shipping where the terms want it; unpaid fees resume a suspended service).")
    int pay(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on,
            @Option(names = "--amount", required = true, paramLabel = "YEN") long amount) {
        return step(id, on, (l, c, d) -> l.pay(c, d, amount), false);
    }

    @Command(name = "ship", description = "The appliance is shipped.")
    int ship(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.ship(c, d), false);
    }

    @Command(name = "activate", description = "The appliance is installed and activated (the service starts, or waits for its start date).")
    int activate(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.activate(c, d), false);
    }

    @Command(name = "start", description = "The service starts on the start date the terms fixed.")
    int start(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.start(c, d), false);
    }

    @Command(name = "renew", description = "A yearly period renews (from 1 April).")
    int renew(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.renew(c, d), false);
    }

    @Command(name = "suspend", description = "Suspends the service: for fees unpaid since --unpaid-since (the terms' days after it), or on request.")
    int suspend(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on,
                @Option(names = "--unpaid-since", paramLabel = "DATE", description = "The due date of the unpaid fees.") String unpaid) {
        Optional<LocalDate> due = unpaid == null ? Optional.empty() : Optional.of(date("--unpaid-since", unpaid));
        return step(id, on, (l, c, d) -> l.suspend(c, d, due), false);
    }

    @Command(name = "resume", description = "The service again after a suspension.")
    int resume(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.resume(c, d), false);
    }

    @Command(name = "cancel", description = "The customer cancels on --on; the contract runs to the end of the month the notice reaches, or --end.")
    int cancel(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on,
               @Option(names = "--end", paramLabel = "DATE", description = "A later end the customer asks for.") String end) {
        Optional<LocalDate> desired = end == null ? Optional.empty() : Optional.of(date("--end", end));
        return step(id, on, (l, c, d) -> l.cancel(c, d, desired), false);
    }

    @Command(name = "terminate", description = "The reseller ends the contract (unpaid fees, a breach uncured after notice) on --on.")
    int terminate(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on,
                  @Option(names = "--reason", required = true) String reason) {
        return step(id, on, (l, c, d) -> l.terminate(c, d, reason), false);
    }

    @Command(name = "end", description = "Ends the contract on or after its end date: the customer's data is erased, its appliances' "
            + "credentials revoked and their disks marked for wiping on return.")
    int end(@Parameters(paramLabel = "ID") long id, @Option(names = "--on", paramLabel = "DATE") String on) {
        return step(id, on, (l, c, d) -> l.end(c, d), false);
    }

    @Command(name = "renewal-notices", description = "From 15 January, mails the renewal notice (once) to every customer whose yearly "
            + "period ends on 31 March of that year: the renewal fee, its due date and the last day to cancel. Prints the contracts mailed.")
    int renewalNotices(@Option(names = "--on", paramLabel = "DATE") String on) {
        return run(store -> {
            LocalDate day = date("--on", on);
            MailBrands brands = CloudStoreAccess.brands(CloudStoreAccess.home(home));
            for (Contracts.Stored s : store.contracts().list(TenantScope.operator())) {
                Contract c = s.contract();
                if (c.periodEnd().isEmpty() || c.endsOn().isPresent() || c.periodEnd().get().getYear() != day.getYear()
                        || day.isBefore(LocalDate.of(day.getYear(), 1, 15)) || day.isAfter(c.periodEnd().get())) {
                    continue;
                }
                Edition e = CliEditions.edition(c.edition());
                org.omamori.backoffice.billing.Bill bill = org.omamori.backoffice.billing.Bills.forMonth(e, c,
                        java.time.YearMonth.of(day.getYear(), 1));
                var line = bill.lines().getFirst();
                LocalDate cancelBy = new org.omamori.backoffice.calendar.BusinessCalendar(e.terms().desk().closed())
                        .onOrBefore(c.periodEnd().get().minusMonths(e.terms().contract().noticeMonths()));
                boolean sent = store.contracts().mail(s.id(), "renewal-notice:" + s.id() + ":" + day.getYear(),
                        to -> ContractMail.renewalNotice(brands.of(to.edition()), to.to(), s.id(), c.periodEnd().get(), line.item(),
                                line.listed(), bill.due(), cancelBy));
                out().println(s.id() + (sent ? " mailed" : " not mailed (no address)"));
            }
            return 0;
        });
    }


    private int step(long id, String on, Step step, boolean approvalMail) {
        return run(store -> {
            Contracts.Stored s = store.contracts().get(TenantScope.operator(), id)
                    .orElseThrow(() -> new IllegalArgumentException("no contract " + id));
            Lifecycle lifecycle = lifecycle(s.contract().edition());
            Contract next = step.take(lifecycle, s.contract(), date("--on", on));
            Optional<Function<org.omamori.store.Addressee, org.omamori.notify.Mail>> mail = Optional.empty();
            if (approvalMail) {
                MailBrands brands = CloudStoreAccess.brands(CloudStoreAccess.home(home));
                Lifecycle.Next n = lifecycle.next(next);
                mail = Optional.of(to -> ContractMail.approved(brands.of(to.edition()), to.to(), id, next.approved().orElseThrow(),
                        next.plannedStart(), n.whatJa(), n.by()));
            }
            print(store.contracts().save(id, s.version(), next, mail));
            return 0;
        });
    }

    private void print(Contracts.Stored s) {
        PrintWriter out = out();
        Contract c = s.contract();
        out.println("契約番号 " + s.id() + "  エディション " + c.edition() + "  状態 " + c.state().ja() + " (" + c.state() + ")");
        out.println("顧客 " + s.customer().map(x -> String.valueOf(x.value())).orElse("(消去済み)") + "  販売店 " + s.reseller().value()
                + "  UTM " + c.appliances() + "台" + (c.pcs() > 0 ? "  端末 " + c.pcs() + "台" : ""));
        out.println("申込 " + c.applied() + c.approved().map(d -> "  承認 " + d).orElse("")
                + c.plannedStart().map(d -> "  利用開始予定 " + d).orElse("") + c.started().map(d -> "  利用開始 " + d).orElse("")
                + c.periodEnd().map(d -> "  期間満了 " + d).orElse("") + c.endsOn().map(d -> "  終了 " + d).orElse(""));
        Lifecycle.Next next = lifecycle(c.edition()).next(c);
        out.println("次: " + next.actor() + " " + next.whatJa() + next.by().map(d -> "（期日 " + d + "）").orElse(""));
        Table table = new Table().row("日付", "状態", "→", "誰が", "内容");
        for (Contract.Step step : c.history()) {
            table.row(step.on().toString(), step.from().ja(), step.to().ja(), step.by().name(), step.what());
        }
        table.print(out);
    }

    private Lifecycle lifecycle(String edition) {
        return new Lifecycle(CliEditions.edition(edition));
    }

    private static LocalDate date(String option, String text) {
        return text == null ? LocalDate.now(CliDates.JST) : CliDates.date(option, text);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int run(CloudStoreAccess.StoreBody body) {
        return CloudStoreAccess.run(spec, home, "omamori contract", 2, body);
    }

}
