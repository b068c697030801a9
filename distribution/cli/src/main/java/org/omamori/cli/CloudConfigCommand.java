package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.desk.TicketFlow;
import org.omamori.events.ApplianceId;
import org.omamori.store.ApplianceSettings;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./omamori cloud config}: an appliance's settings held by the cloud (docs/fleet.md "Settings from the cloud"). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"An appliance's settings held by the cloud: --set and --unset make a new version, which the appliance",
                "fetches at its next heartbeat, checks against its components and applies or refuses (the key named);",
                "--show prints the newest version and what the appliance reported, --history every version with who and when.",
                "A change on the customer's request counts against the edition's remote changes per contract and month",
                "(Vario: 4); --operator-change marks one the operator makes on its own account (not counted)."},
        footer = {"", "Keys: area.property, areas proxy, dns, inspection, uplink, urlfilter, ips, av (docs/fleet.md lists them).",
                "Exit codes: 0 done, 1 the store could not be opened, 2 bad usage, an unknown appliance or the month's limit reached."})
final class CloudConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--appliance", paramLabel = "ID", description = "The appliance id (12 lower-case hex digits).")
    String appliance;

    @Option(names = "--reseller", paramLabel = "ID", description = "Every appliance of this reseller's customers gets the change "
            + "(e.g. its maintenance window, runtime.window); the operator's own change, not counted against any customer's limit.")
    Long reseller;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Sets a key (repeatable), e.g. proxy.brandName=にいがたお助け隊.")
    List<String> set = List.of();

    @Option(names = "--unset", paramLabel = "KEY", description = "Drops a key (repeatable): the appliance's component goes back to its default.")
    List<String> unset = List.of();

    @Option(names = "--note", description = "Why, kept in the history (e.g. the ticket).")
    String note;

    @Option(names = "--by", description = "Who changes it, kept in the history (default: operator).", defaultValue = "operator")
    String by;

    @Option(names = "--operator-change", description = "A change the operator makes on its own account: not counted against the customer's monthly limit.")
    boolean operatorChange;

    @Option(names = "--show", description = "Prints the newest version and what the appliance reported (the default without --set/--unset).")
    boolean show;

    @Option(names = "--history", description = "Prints every version, newest first, with who changed what and when.")
    boolean history;

    @Override
    public Integer call() {
        return CloudStoreAccess.run(spec, home, "omamori cloud config", 2, store -> {
            if ((appliance == null) == (reseller == null)) {
                throw new IllegalArgumentException("give --appliance ID or --reseller ID");
            }
            if (reseller != null) {
                return forReseller(store, spec.commandLine().getOut());
            }
            ApplianceId id = ApplianceId.parse(appliance);
            ApplianceSettings settings = store.applianceSettings();
            CustomerId customer = settings.customerOf(id).orElseThrow(() -> new IllegalArgumentException("no appliance " + id.value()));
            PrintWriter out = spec.commandLine().getOut();
            boolean changing = !set.isEmpty() || !unset.isEmpty();
            if (changing) {
                change(store, settings, id, customer, out);
            }
            if (show || (!changing && !history)) {
                show(settings, id, out);
            }
            if (history) {
                history(settings, id, out);
            }
            out.flush();
            return 0;
        });
    }

    /** The same change for every appliance of the reseller's customers, each its own new version. */
    private int forReseller(Store store, PrintWriter out) {
        if (set.isEmpty() && unset.isEmpty()) {
            throw new IllegalArgumentException("--reseller needs --set or --unset");
        }
        Map<String, Optional<String>> changes = changes();
        changes.forEach((k, v) -> ApplianceSettings.problem(k, v).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        }));
        var appliances = store.tenants().appliances(org.omamori.store.TenantScope.reseller(new org.omamori.store.ResellerId(reseller)));
        for (var a : appliances) {
            Map<String, String> now = store.applianceSettings().desired(a.id()).map(ApplianceSettings.Version::settings).orElse(Map.of());
            boolean differs = changes.entrySet().stream().anyMatch(e -> !e.getValue().equals(Optional.ofNullable(now.get(e.getKey()))));
            if (!differs) {
                out.println(a.id().value() + ": has these values already");
                continue;
            }
            ApplianceSettings.Version v = store.applianceSettings().change(a.id(), changes, by, Optional.ofNullable(note), false);
            out.println(a.id().value() + ": version " + v.version() + " (" + describe(v.changes()) + ")");
        }
        out.println(appliances.size() + " appliance(s) of reseller " + reseller + "; each takes its version at its next heartbeat");
        out.flush();
        return 0;
    }

    private Map<String, Optional<String>> changes() {
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        for (String s : set) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set " + s + ": KEY=VALUE is expected");
            }
            changes.put(s.substring(0, eq).strip(), Optional.of(s.substring(eq + 1)));
        }
        for (String k : unset) {
            changes.put(k.strip(), Optional.empty());
        }
        return changes;
    }

    private void change(Store store, ApplianceSettings settings, ApplianceId id, CustomerId customer, PrintWriter out) {
        Map<String, Optional<String>> changes = changes();
        if (!operatorChange) {
            YearMonth month = YearMonth.now(DeskDeadlines.JST);
            int done = settings.countedChanges(customer, month);
            var edition = CliEditions.installed().of(store.tickets().editionOf(customer));
            Optional<String> refused = TicketFlow.remoteChangeRefused(edition.support(), done);
            if (refused.isPresent()) {
                throw new IllegalArgumentException(refused.get() + " (" + edition.id() + ", " + month + "; --operator-change for the operator's own)");
            }
        }
        ApplianceSettings.Version v = settings.change(id, changes, by, Optional.ofNullable(note), !operatorChange);
        out.println("version " + v.version() + " of " + id.value() + "'s settings: " + describe(v.changes())
                + "; the appliance takes it at its next heartbeat" + (operatorChange ? " (the operator's own change)" : " (counted this month)"));
    }

    private static void show(ApplianceSettings settings, ApplianceId id, PrintWriter out) {
        Optional<ApplianceSettings.Version> v = settings.desired(id);
        if (v.isEmpty()) {
            out.println(id.value() + ": the cloud holds no settings; the appliance runs on its own files");
            return;
        }
        out.println(id.value() + " version " + v.get().version() + " (" + Table.JST.format(v.get().changedAt()) + " JST, " + v.get().changedBy() + ")");
        Table table = new Table().row("キー/key", "値/value");
        new java.util.TreeMap<>(v.get().settings()).forEach((k, value) -> table.row(k, value));
        table.print(out);
        out.println(settings.reported(id).map(r -> "appliance: "
                + (r.applied().isPresent() ? "version " + r.applied().getAsInt() + " in force" : "none applied yet")
                + (r.refused().isPresent() ? "; refused version " + r.refused().getAsInt() + ": " + r.reason().orElse("") : "")
                + " (reported " + Table.JST.format(r.reportedAt()) + " JST)").orElse("appliance: nothing reported yet"));
    }

    private static void history(ApplianceSettings settings, ApplianceId id, PrintWriter out) {
        Table table = new Table().row("版/version", "日時/when (JST)", "者/by", "変更/changes", "数/counted", "注/note");
        for (ApplianceSettings.Version v : settings.history(id, 1000)) {
            table.row(Integer.toString(v.version()), Table.JST.format(v.changedAt()), v.changedBy(), describe(v.changes()),
                    v.counted() ? "yes" : "no", v.note().orElse(""));
        }
        table.print(out);
    }

    private static String describe(Map<String, Optional<String>> changes) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(changes).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(v.map(x -> "=" + x).orElse(" unset")));
        return b.toString();
    }
}
