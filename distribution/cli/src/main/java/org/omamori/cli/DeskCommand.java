package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Callable;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.desk.TicketKind;
import org.omamori.backoffice.edition.Editions;
import org.omamori.desk.Desk;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;
import org.omamori.store.Tickets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori desk}: the support desk's rules and tickets (docs/desk.md). */
@Command(name = "desk", mixinStandardHelpOptions = true, description = "The support desk: deadlines by an edition's desk calendar, and tickets.",
        subcommands = DeskCommand.Due.class, footer = {"", "Ticket commands: exit 0 done, 1 the store could not be opened, 2 bad usage or a "
                + "step the ticket's state does not allow (the message says why)."})
final class DeskCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Command(name = "tickets", description = "Lists tickets: with --queue those the desk owes an answer, the earliest deadline first, late ones marked.")
    int tickets(@Option(names = "--queue") boolean queue,
                @Option(names = "--reseller", paramLabel = "ID", description = "Only this reseller's customers'.") Long reseller) {
        return run((store, desk) -> {
            TenantScope scope = reseller == null ? TenantScope.operator() : TenantScope.reseller(new ResellerId(reseller));
            ZonedDateTime now = ZonedDateTime.now(DeskDeadlines.JST);
            Table table = new Table().row("ID", "番号", "顧客", "種別", "状態", "回答期限", "件名");
            for (Tickets.Stored t : store.tickets().list(scope, queue, 500)) {
                table.row(Long.toString(t.id()), t.token(), t.customer().map(c -> Long.toString(c.value())).orElse("（不明）"),
                        t.ticket().kind().ja(), t.ticket().state().ja() + (t.ticket().late(now) ? " ※期限超過" : ""),
                        Table.JST.format(t.ticket().answerBy().toInstant()), t.ticket().subject());
            }
            table.print(out());
            return 0;
        });
    }

    @Command(name = "show", description = "Prints a ticket: its steps with time and actor, and its messages (staff notes included).")
    int show(@Parameters(paramLabel = "ID") long id) {
        return run((store, desk) -> {
            Tickets.Stored t = store.tickets().get(TenantScope.operator(), id).orElseThrow(() -> new IllegalArgumentException("no ticket " + id));
            PrintWriter out = out();
            out.println("チケット " + t.id() + "（番号 " + t.token() + "） " + t.ticket().kind().ja() + " " + t.ticket().state().ja());
            out.println("件名      " + t.ticket().subject());
            out.println("回答期限  " + Table.JST.format(t.ticket().answerBy().toInstant()) + (t.ticket().longAnswer() ? "（一次回答）" : ""));
            t.ticket().closesOn().ifPresent(d -> out.println("自動クローズ " + d));
            t.ticket().nextStep().ifPresent(s -> out.println("次の手順  " + s));
            out.println("経過:");
            for (var step : t.ticket().history()) {
                out.println("  " + Table.JST.format(step.at().toInstant()) + "  " + step.by() + "  " + step.to().ja() + "  " + step.what());
            }
            out.println("メッセージ:");
            for (Tickets.Message m : store.tickets().messages(TenantScope.operator(), id, true)) {
                out.println("  [" + m.seq() + "] " + Table.JST.format(m.at()) + "  " + m.direction() + "  " + m.author());
                m.body().lines().limit(40).forEach(l -> out.println("      " + l));
                m.attachments().forEach(a -> out.println("      添付 " + a.name() + " (" + a.size() + " bytes, sha256 " + a.sha256() + ")"));
            }
            out.flush();
            return 0;
        });
    }

    @Command(name = "open", description = "Opens a ticket for a customer (taken by phone, or a request the staff enter) and prints its id.")
    int open(@Option(names = "--customer", required = true, paramLabel = "ID") long customer,
             @Option(names = "--kind", defaultValue = "INQUIRY", paramLabel = "KIND", description = "One of ${COMPLETION-CANDIDATES}.") TicketKind kind,
             @Option(names = "--subject", required = true) String subject,
             @Option(names = "--body", required = true) String body,
             @Option(names = "--long", description = "A full answer is expected to take more than 5 business days.") boolean longAnswer) {
        return run((store, desk) -> {
            Tickets.Stored t = desk.fromPortal(new CustomerId(customer), kind, subject, body, longAnswer, "desk", List.of());
            out().println(t.id() + " " + t.token() + " " + t.ticket().state().ja() + " " + t.ticket().history().getLast().what());
            out().flush();
            return t.ticket().state() == org.omamori.backoffice.desk.TicketState.REFUSED ? 2 : 0;
        });
    }

    @Command(name = "answer", description = "Answers a ticket (--first: a first answer, the full one takes longer); mailed to the customer in its thread.")
    int answer(@Parameters(paramLabel = "ID") long id, @Option(names = "--body", required = true) String body,
               @Option(names = "--first") boolean first) {
        return run((store, desk) -> print(desk.answer(TenantScope.operator(), id, body, first, "operator")));
    }

    @Command(name = "step", description = "Records the ticket kind's next step as done (e.g. ご本人確認).")
    int step(@Parameters(paramLabel = "ID") long id, @Option(names = "--note", defaultValue = "") String note) {
        return run((store, desk) -> print(desk.step(TenantScope.operator(), id, note)));
    }

    @Command(name = "close", description = "Closes a ticket (the customer confirmed).")
    int close(@Parameters(paramLabel = "ID") long id) {
        return run((store, desk) -> print(desk.close(TenantScope.operator(), id)));
    }

    @Command(name = "note", description = "Adds a note only staff read.")
    int note(@Parameters(paramLabel = "ID") long id, @Option(names = "--body", required = true) String body) {
        return run((store, desk) -> {
            desk.note(TenantScope.operator(), id, body, "operator");
            return 0;
        });
    }

    private int print(Tickets.Stored t) {
        out().println(t.id() + " " + t.ticket().state().ja() + " " + t.ticket().history().getLast().what());
        out().flush();
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @FunctionalInterface
    interface DeskBody {
        int run(Store store, Desk desk) throws java.io.IOException;
    }

    /** Runs {@code body} with the desk on the home's store (exit codes as every back-office command). */
    private int run(DeskBody body) {
        return CloudStoreAccess.run(spec, home, "omamori desk", 2, store -> {
            Editions editions = CliEditions.installed();
            return body.run(store, new Desk(store.tickets(), editions::of, Clock.systemUTC()));
        });
    }

    @Command(name = "due", mixinStandardHelpOptions = true,
            description = "Prints when an inquiry received at DATETIME must be answered (with --long: the first answer, when a full "
                    + "answer is expected to take more than 5 business days) and the day the ticket closes by itself when answered "
                    + "on that deadline. Exit 0, or 2 for bad usage.")
    static final class Due implements Callable<Integer> {

        @Option(names = "--edition", required = true, paramLabel = "E") String edition;

        @Option(names = "--received", required = true, paramLabel = "DATETIME",
                description = "When it arrived: YYYY-MM-DDTHH:MM (Japan) or with an offset.") String received;

        @Option(names = "--long", description = "A full answer is expected to take more than 5 business days.") boolean longAnswer;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Edition e = CliEditions.edition(edition);
                DeskDeadlines.Due due = new DeskDeadlines(e.terms().desk()).due(CliDates.dateTime("--received", received), longAnswer);
                out.println("受付日          " + due.receivedOn());
                out.println((due.firstOnly() ? "一次回答期限    " : "回答期限        ") + Table.JST.format(due.answerBy().toInstant()));
                out.println("自動クローズ    " + due.closesOn() + "（期限に回答した場合、回答から14日後）");
                out.println("窓口            " + e.terms().desk().name().ja() + " " + e.terms().desk().hoursJa());
                out.flush();
                return 0;
            } catch (IllegalArgumentException ex) {
                spec.commandLine().getErr().println("omamori desk due: " + ex.getMessage());
                return 2;
            }
        }
    }
}
