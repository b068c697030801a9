package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.rma.Rma;
import org.omamori.backoffice.rma.RmaFlow;
import org.omamori.desk.RmaDesk;
import org.omamori.events.ApplianceId;
import org.omamori.store.Appliance;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.Rmas;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori rma}: faulty appliances replaced, step by step, under the customer's edition (docs/rma.md). */
@Command(name = "rma", mixinStandardHelpOptions = true,
        description = {"RMAs kept in the cloud's store (docs/rma.md): a faulty appliance replaced under its customer's edition.",
                "'open' starts one from a fault report and prints its id; check, ship, swap, returned and erased take the next step on",
                "RMA ID (at --at, default now in Japan) and print it; 'list' and 'show' read (deadlines and late marks); 'aging' lists",
                "the appliances past their edition's replacement age."},
        footer = {"", "Exit codes: 0 done, 1 the store could not be opened, 2 bad usage or a step the RMA's state does not allow (the "
                + "message says why)."})
final class RmaCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--at", scope = ScopeType.INHERIT, paramLabel = "DATETIME",
            description = "When the step happened: YYYY-MM-DDTHH:MM (Japan) or with an offset (default: now).")
    String at;

    /** A step on a stored RMA: given its flow and the RMA, the next RMA. */
    @FunctionalInterface
    interface Step {
        Rma take(RmaFlow flow, Rma rma, ZonedDateTime at);
    }

    @Command(name = "open", description = "A fault of the appliance was reported: opens an RMA for its customer and prints the RMA id.")
    int open(@Option(names = "--appliance", required = true, paramLabel = "ID") String appliance,
             @Option(names = "--reported", paramLabel = "DATETIME",
                     description = "When the fault was reported: YYYY-MM-DDTHH:MM (Japan) or with an offset (default: --at or now).")
             String reported,
             @Option(names = "--ticket", paramLabel = "ID", description = "The FAULT ticket it came from.") Long ticket) {
        return run(store -> {
            ZonedDateTime when = reported == null ? now() : CliDates.dateTime("--reported", reported);
            out().println(new RmaDesk(store, CliEditions::edition, CloudStoreAccess.brands(CloudStoreAccess.home(home)))
                    .open(TenantScope.operator(), new ApplianceId(appliance.strip()), Optional.ofNullable(ticket), when, Actor.CUSTOMER));
            return 0;
        });
    }

    @Command(name = "check", description = "The desk checked the appliance from its last heartbeats and health (see 'show'): --faulty "
            + "confirms the fault (the replacement's ship-by day from the edition), --not-faulty closes the RMA with the finding as reason.")
    int check(@Parameters(paramLabel = "ID") long id,
              @Option(names = "--faulty", description = "It is faulty: a replacement ships.") boolean faulty,
              @Option(names = "--not-faulty", description = "It is not faulty: the RMA closes.") boolean notFaulty,
              @Option(names = "--finding", required = true, paramLabel = "TEXT", description = "What the desk saw.") String finding) {
        if (faulty == notFaulty) {
            spec.commandLine().getErr().println("omamori rma: check takes one of --faulty or --not-faulty");
            return 2;
        }
        return step(id, (f, r, t) -> f.check(r, faulty, finding, t, Actor.OPERATOR));
    }

    @Command(name = "ship", description = "The replacement was shipped: it is registered for the customer if it is not yet, and its "
            + "one-time activation code is printed (it goes with the unit). Shipped after the ship-by day: noted as late.")
    int ship(@Parameters(paramLabel = "ID") long id, @Option(names = "--replacement", required = true, paramLabel = "ID") String replacement) {
        return step(id, (f, r, t) -> f.ship(r, replacement.strip(), t, Actor.OPERATOR));
    }

    @Command(name = "swap", description = "The customer swapped the units: the replacement takes the faulty unit's name and settings "
            + "and follows it in the customer's views, the faulty unit's credentials are revoked; the return-by day is set.")
    int swap(@Parameters(paramLabel = "ID") long id) {
        return step(id, (f, r, t) -> f.swapped(r, t, Actor.CUSTOMER));
    }

    @Command(name = "returned", description = "The faulty unit came back (late after the return-by day); it is listed for wiping.")
    int returned(@Parameters(paramLabel = "ID") long id) {
        return step(id, (f, r, t) -> f.returned(r, t, Actor.OPERATOR));
    }

    @Command(name = "erased", description = "The faulty unit's data was erased: the RMA is done.")
    int erased(@Parameters(paramLabel = "ID") long id) {
        return step(id, (f, r, t) -> f.erased(r, t, Actor.OPERATOR));
    }

    @Command(name = "list", description = "Lists the RMAs, newest first: state, units, deadlines, late marks.")
    int list() {
        return run(store -> {
            LocalDate today = now().toLocalDate();
            Table table = new Table().row("ID", "顧客/customer", "エディション", "状態/state", "故障機", "代替機", "発送期限", "返却期限", "遅延");
            for (Rmas.Stored s : store.rmas().list(TenantScope.operator())) {
                Rma r = s.rma();
                table.row(String.valueOf(s.id()), customer(s), s.edition(), r.state().ja(), r.faulty(), r.replacement().orElse(""),
                        r.shipBy().map(LocalDate::toString).orElse("-"), r.returnBy().map(LocalDate::toString).orElse("-"), late(r, today));
            }
            table.print(out());
            return 0;
        });
    }

    @Command(name = "show", description = "Prints one RMA: the faulty unit's last heartbeat, the deadlines and late marks, and every step "
            + "with time and actor.")
    int show(@Parameters(paramLabel = "ID") long id) {
        return run(store -> {
            print(store, rma(store, id));
            return 0;
        });
    }

    @Command(name = "aging", description = "Lists the appliances in service past their edition's replacement age on --on (default today): "
            + "flagged from the day after the anniversary of manufacture (7 years; ./omamori cloud appliance --manufactured records it).")
    int aging(@Option(names = "--on", paramLabel = "DATE") String on) {
        return run(store -> {
            LocalDate day = on == null ? LocalDate.now(CliDates.JST) : CliDates.date("--on", on);
            Table table = new Table().row("ID", "顧客/customer", "設置場所/name", "エディション", "製造日", "交換対象日");
            for (Rmas.Aged a : store.rmas().pastReplacementAge(TenantScope.operator(), day, CliEditions::edition)) {
                table.row(a.appliance().value(), a.customer().value() + " " + a.customerName(), a.name().isEmpty() ? "-" : a.name(),
                        a.edition(), a.manufactured().toString(), a.flaggedFrom().toString());
            }
            table.print(out());
            return 0;
        });
    }

    private int step(long id, Step step) {
        return run(store -> {
            Rmas.Saved saved = new RmaDesk(store, CliEditions::edition, CloudStoreAccess.brands(CloudStoreAccess.home(home)))
                    .step(TenantScope.operator(), id, step::take, now());
            print(store, saved.stored());
            saved.activationCode().ifPresent(code -> out().println("代替機 " + saved.stored().rma().replacement().orElseThrow()
                    + " の有効化コード / activation code: " + code));
            return 0;
        });
    }

    private static Rmas.Stored rma(Store store, long id) {
        return store.rmas().get(TenantScope.operator(), id).orElseThrow(() -> new IllegalArgumentException("no RMA " + id));
    }

    private void print(Store store, Rmas.Stored s) {
        PrintWriter out = out();
        Rma r = s.rma();
        out.println("RMA " + s.id() + "  エディション " + s.edition() + "  状態 " + r.state().ja() + " (" + r.state() + ")"
                + (r.overdue(now().toLocalDate()) ? "  ※期限超過" : ""));
        out.println("顧客 " + customer(s) + "  販売店 " + s.reseller().value() + s.ticket().map(t -> "  故障チケット " + t).orElse("")
                + "  故障機 " + r.faulty() + r.replacement().map(x -> "  代替機 " + x).orElse(""));
        ApplianceId faulty = new ApplianceId(r.faulty());
        store.fleet().status(TenantScope.operator(), java.time.Instant.now()).stream().filter(a -> a.appliance().equals(faulty)).findFirst()
                .ifPresent(a -> out.println("故障機の状態 " + liveness(a) + "  最終通信 " + a.lastContact().map(Table.JST::format).orElse("-")
                        + "  firmware " + a.firmwareVersion().orElse("-") + "  定義 " + a.definitions()));
        r.finding().ifPresent(f -> out.println("所見 " + f));
        r.shipBy().ifPresent(d -> out.println("発送期限 " + d + (r.shippedLate() ? "  ※遅延発送" : "")));
        r.returnBy().ifPresent(d -> out.println("返却期限 " + d + (r.returnedLate() ? "  ※返却遅延" : "")
                + (r.operatorPaysReturn() ? "  送料当社負担（着払い）" : "")));
        Table table = new Table().row("日時", "→", "誰が", "内容");
        for (Rma.Step step : r.steps()) {
            table.row(Table.JST.format(step.at()), step.to().ja(), step.by().name(), step.what());
        }
        table.print(out);
    }

    private static String liveness(ApplianceStatus a) {
        return switch (a.liveness()) {
            case ONLINE -> "稼働中/online";
            case STOPPED -> "停止/stopped";
            case NEVER_SEEN -> "未接続/never seen";
        };
    }

    private static String late(Rma r, LocalDate today) {
        if (r.shippedLate() || r.returnedLate()) {
            return (r.shippedLate() ? "発送遅延 " : "") + (r.returnedLate() ? "返却遅延" : "");
        }
        return r.overdue(today) ? "期限超過" : "";
    }

    private static String customer(Rmas.Stored s) {
        return String.valueOf(s.customer().value());
    }

    private ZonedDateTime now() {
        return at == null ? ZonedDateTime.now(CliDates.JST) : CliDates.dateTime("--at", at);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int run(CloudStoreAccess.StoreBody body) {
        return CloudStoreAccess.run(spec, home, "omamori rma", 2, body);
    }

}
