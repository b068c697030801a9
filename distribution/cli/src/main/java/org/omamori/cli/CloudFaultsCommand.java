package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.omamori.notify.MailBrands;
import org.omamori.notify.FaultMail;
import org.omamori.store.Faults;
import org.omamori.store.Store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Faults the health check found, classified A (the service's main function is lost), B (one appliance's",
                "fault, its customer affected) or Z (no customer impact; never mailed) (000 §9.2-9.3). Lists the open faults",
                "and those resolved in the last 7 days. --confirm ID --by NAME: the operator confirmed the fault; for A and B",
                "one notice per affected customer goes into the outbox (once, however often it is confirmed), and the recovery",
                "mail follows when the fault is resolved. --resolve ID: closes a fault by hand (a confirmed A/B one mails its recovery).",
                "Exit codes: 0 done, 1 the store could not be opened, 2 bad input (unknown id, --confirm without --by)."})
final class CloudFaultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private static final DateTimeFormatter JST = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Tokyo"));
    /** The monitor's configuration in the home (etc/), for the brand the mails carry. */

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--confirm", paramLabel = "ID", description = "Confirm the fault: A and B are mailed to the affected customers.")
    Long confirm;

    @Option(names = "--by", paramLabel = "NAME", description = "Who confirms or resolves (kept with the fault).")
    String by;

    @Option(names = "--resolve", paramLabel = "ID", description = "Resolve the fault by hand (e.g. one no probe watches any more).")
    Long resolve;

    @Option(names = "--days", description = "Resolved faults listed from the last DAYS days (default ${DEFAULT-VALUE}).", defaultValue = "7")
    int days;

    @Override
    public Integer call() throws Exception {
        Path dir = CloudStoreAccess.home(home);
        PrintWriter out = spec.commandLine().getOut();
        if (confirm != null && (by == null || by.isBlank())) {
            spec.commandLine().getErr().println("omamori cloud faults: --confirm needs --by NAME (who confirmed it)");
            return 2;
        }
        MailBrands brands = CloudStoreAccess.brands(dir);
        Faults.Composer composer = (fault, to) -> FaultMail.compose(brands.of(to.edition()), to.to(), fault);
        try (Store store = CloudStoreAccess.open(dir)) {
            Faults faults = store.faults();
            if (confirm != null) {
                Optional<Faults.Entry> f = faults.fault(confirm);
                if (f.isEmpty()) {
                    spec.commandLine().getErr().println("omamori cloud faults: no fault " + confirm);
                    return 2;
                }
                if (f.get().confirmedAt().isPresent()) {
                    out.println("障害 " + confirm + " は確認済みです / fault " + confirm + " was confirmed by "
                            + f.get().confirmedBy().orElse("?") + " at " + JST.format(f.get().confirmedAt().get()) + " JST: nothing is mailed again");
                    return 0;
                }
                int mails = faults.confirm(confirm, by, composer);
                out.println("障害 " + confirm + " を確認しました / fault " + confirm + " confirmed (level " + f.get().level() + "): "
                        + (f.get().level().notifiesCustomers() ? mails + " mails put in the outbox" : "level Z, customers are not told"));
            }
            if (resolve != null) {
                Optional<Faults.Entry> f = faults.resolve(resolve, by == null || by.isBlank() ? "cli" : by, composer);
                if (f.isEmpty()) {
                    spec.commandLine().getErr().println("omamori cloud faults: no fault " + resolve);
                    return 2;
                }
                out.println("障害 " + resolve + " を解決済みにしました / fault " + resolve + " resolved at "
                        + JST.format(f.get().resolvedAt().orElseThrow()) + " JST");
            }
            if (confirm == null && resolve == null) {
                list(out, faults.recent(Instant.now().minus(Duration.ofDays(Math.max(0, days))), 200));
            }
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("omamori cloud faults: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void list(PrintWriter out, List<Faults.Entry> faults) {
        if (faults.isEmpty()) {
            out.println("障害はありません / no faults");
            return;
        }
        Table table = new Table().row("ID", "レベル/level", "対象/key", "検知(JST)/detected", "確認/confirmed", "解決/resolved",
                "影響/affected", "概要/summary");
        for (Faults.Entry f : faults) {
            table.row(String.valueOf(f.id()), f.level().name(), f.key(), JST.format(f.detectedAt()),
                    f.confirmedAt().map(t -> JST.format(t) + " " + f.confirmedBy().orElse("")).orElse(
                            f.level().notifiesCustomers() && f.open() ? "未確認/UNCONFIRMED" : "-"),
                    f.resolvedAt().map(JST::format).orElse("OPEN"),
                    f.affected().all() ? "all customers" : f.affected().customers().isEmpty() ? "-"
                            : f.affected().customers().stream().map(c -> String.valueOf(c.value())).sorted().collect(Collectors.joining(",")),
                    f.summary());
        }
        table.print(out);
        long waiting = faults.stream().filter(f -> f.open() && f.level().notifiesCustomers() && f.confirmedAt().isEmpty()).count();
        out.println(faults.size() + " faults" + (waiting > 0 ? "; " + waiting + " A/B faults wait for confirmation: --confirm ID --by NAME" : ""));
    }
}
