package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.omamori.grading.Suppression;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "suppress", mixinStandardHelpOptions = true,
        description = {"Noise control: stops mailing a rule's findings for one host or the whole customer, with a reason",
                "and an end. Suppressed findings are still stored, counted and shown in the portal; never mailed.",
                "Without --rule: lists the customer's suppressions. Exit codes: 0 done, 1 store not reachable, 2 bad input."})
final class CloudSuppressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private static final DateTimeFormatter JST = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Tokyo"));

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--customer", required = true, description = "The customer's id (./omamori cloud customer lists them).")
    long customer;

    @Option(names = "--rule", description = "A star-table rule (phishing-blocked) or an engine rule (sid:9000015, category:news).")
    String rule;

    @Option(names = "--host", description = "The host's address or MAC; without it the whole customer.")
    String host;

    @Option(names = "--reason", description = "Why, as the customer or operator said it.")
    String reason;

    @Option(names = "--days", description = "How long it holds (default ${DEFAULT-VALUE}, at most 365).", defaultValue = "30")
    int days;

    @Option(names = "--by", description = "Who decided (an operator's or the customer administrator's login).", defaultValue = "operator")
    String by;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            CustomerId id = new CustomerId(customer);
            if (rule == null) {
                Table table = new Table().row("ルール/rule", "対象/host", "理由/reason", "決定者/by", "期限(JST)/until");
                for (Suppression s : store.monitoring().suppressions(TenantScope.operator(), id)) {
                    table.row(s.rule(), s.host().orElse("(全体/all)"), s.reason(), s.by(), JST.format(s.until()));
                }
                table.print(out);
                return 0;
            }
            if (reason == null || days < 1 || days > 365) {
                spec.commandLine().getErr().println("omamori cloud suppress: --reason is needed and --days must be 1..365");
                return 2;
            }
            Instant now = Instant.now();
            Suppression s = new Suppression(UUID.randomUUID().toString(), rule.strip(), Optional.ofNullable(host).map(String::strip),
                    reason.strip(), by.strip(), now, now.plus(Duration.ofDays(days)));
            store.monitoring().suppress(id, s);
            out.println("抑止しました / suppressed until " + JST.format(s.until()) + " JST");
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("omamori cloud suppress: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("omamori cloud suppress: " + e.getMessage());
            return 2;
        }
    }
}
