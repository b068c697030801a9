package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.omamori.store.AlertQuery;
import org.omamori.store.AlertRow;
import org.omamori.store.CustomerId;
import org.omamori.store.EventQuery;
import org.omamori.store.Store;
import org.omamori.store.StoredEvent;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./omamori cloud alerts} and {@code ./omamori cloud events}: a customer's history, newest first. */
final class CloudHistoryCommand {

    private CloudHistoryCommand() {
    }

    /** What both commands take. */
    abstract static class Base implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
        Path home;

        @Option(names = "--customer", required = true, paramLabel = "ID", description = "The customer's id (omamori cloud customer lists them).")
        long customer;

        @Option(names = "--days", defaultValue = "7", paramLabel = "N", description = "How many days back (1-90; default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most this many, newest first (1-500; default: ${DEFAULT-VALUE}).")
        int limit;

        abstract String name();

        abstract void print(Store store, CustomerId customer, Instant from, Instant to, PrintWriter out);

        @Override
        public Integer call() throws Exception {
            if (days < 1 || days > 90 || limit < 1 || limit > 500) {
                spec.commandLine().getErr().println("omamori cloud " + name() + ": --days is 1-90 and --limit 1-500");
                return 2;
            }
            try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
                CustomerId c = new CustomerId(customer);
                if (store.tenants().profile(TenantScope.operator(), c).isEmpty()) {
                    spec.commandLine().getErr().println("omamori cloud " + name() + ": customer " + customer + " does not exist");
                    return 2;
                }
                Instant to = Instant.now();
                print(store, c, to.minus(Duration.ofDays(days)), to, spec.commandLine().getOut());
                return 0;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("omamori cloud " + name() + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = "Lists a customer's alerts raised in the last days, newest first: alert ID, time (JST), appliance, "
                + "function, grade, state, host and target. Exit codes: 0 done, 1 the store could not be opened, 2 bad "
                + "input.")
    static final class Alerts extends Base {

        @Override
        String name() {
            return "alerts";
        }

        @Override
        void print(Store store, CustomerId customer, Instant from, Instant to, PrintWriter out) {
            Table table = new Table().row("アラートID", "日時/time (JST)", "機器/appliance", "機能/function", "評価/grade", "状態/state", "端末/host", "対象/target");
            for (AlertRow a : store.statistics().alerts(TenantScope.operator(), AlertQuery.period(from, to).customer(customer).limit(limit)).alerts()) {
                table.row(a.displayId(), Table.JST.format(a.first()), a.appliance().value() + (a.applianceName().isEmpty() ? "" : " " + a.applianceName()),
                        a.function().id(), a.grade().stars() + (a.suppressed() ? " (抑止)" : ""), a.state(), a.host(), clip(a.target()));
            }
            table.print(out);
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true,
            description = "Lists a customer's events of the last days, newest first: time (JST), appliance, kind, function, "
                + "result, source, host and rule. Exit codes: 0 done, 1 the store could not be opened, 2 bad input.")
    static final class Events extends Base {

        @Override
        String name() {
            return "events";
        }

        @Override
        void print(Store store, CustomerId customer, Instant from, Instant to, PrintWriter out) {
            Table table = new Table().row("日時/time (JST)", "機器/appliance", "種別/kind", "機能/function", "結果/result", "送信元/source", "ホスト/host", "ルール/rule");
            for (StoredEvent s : store.events().events(TenantScope.customer(customer), EventQuery.period(from, to).limit(limit)).events()) {
                var e = s.event();
                table.row(Table.JST.format(e.time()), e.appliance().value(), e.kind().wire(), e.function().id(), e.result().wire(),
                        e.source().getHostAddress(), clip(e.host()), clip(e.ruleId()));
            }
            table.print(out);
        }
    }

    /** Long texts (URLs) cut for one terminal line; the portal shows them whole. */
    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }
}
