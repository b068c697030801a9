package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.omamori.events.ApplianceId;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "appliance", mixinStandardHelpOptions = true,
        description = "Back office: registers an appliance for a customer and prints its one-time activation code (only its "
                + "hash is kept: give it to the installer now). With --new-code: a new code for a registered one. "
                + "Without --id: lists the appliances (of --customer, or all) with status, last contact and firmware. "
                + "Exit codes: 0 done (the code on standard output), 1 the store could not be opened, 2 bad input.")
final class CloudApplianceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--customer", description = "The customer's id (./omamori cloud customer lists them).")
    Long customer;

    @Option(names = "--id", description = "The appliance id: 12 lower-case hex digits. Without it: list the appliances.")
    String id;

    @Option(names = "--name", description = "Where it stands, as the customer names it (e.g. 本社 1F).", defaultValue = "")
    String name;

    @Option(names = "--new-code", description = "Issue a new activation code for a registered appliance.")
    boolean newCode;

    @Option(names = "--manufactured", paramLabel = "DATE",
            description = "The day it was made (YYYY-MM-DD; 'none' forgets it): past the edition's years (7) it is listed by ./omamori rma aging. "
                    + "With --customer: registered with it; alone: recorded for a registered appliance.")
    String manufactured;

    @Option(names = "--maintenance", paramLabel = "on|off",
            description = "on: a planned shutdown, no stopped notice until off; off: watched again (still silent: noticed at the next check).")
    String maintenance;

    /** Every appliance the operator sees (or the customer's): what an operator looks at before a shell on any box. */
    private int list(Store store, PrintWriter out) {
        TenantScope scope = customer == null ? TenantScope.operator() : TenantScope.customer(new CustomerId(customer));
        Table table = new Table().row("ID", "顧客/customer", "設置場所/name", "状態/status", "最終通信/last contact (JST)", "firmware");
        var maintenance = store.monitoring().inMaintenance();
        for (ApplianceStatus a : store.fleet().status(scope, java.time.Instant.now())) {
            var replacedBy = store.rmas().replacedBy(scope, a.appliance());
            String status = replacedBy.isPresent() ? "交換済み/replaced → " + replacedBy.get().value()
                    : maintenance.contains(a.appliance()) ? "メンテナンス中/maintenance" : switch (a.liveness()) {
                case ONLINE -> "稼働中/online";
                case STOPPED -> "停止/stopped";
                case NEVER_SEEN -> "未接続/never seen";
            };
            table.row(a.appliance().value(), a.customer().value() + " " + a.customerName(), a.name().isEmpty() ? "-" : a.name(), status,
                    a.lastContact().map(Table.JST::format).orElse("-"), a.firmwareVersion().orElse("-"));
        }
        table.print(out);
        return 0;
    }

    private java.util.Optional<java.time.LocalDate> manufactured() {
        return manufactured.strip().equals("none") ? java.util.Optional.empty()
                : java.util.Optional.of(CliDates.date("--manufactured", manufactured.strip()));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            if (id == null) {
                return list(store, out);
            }
            ApplianceId appliance = new ApplianceId(id.strip());
            if (maintenance != null) {
                boolean on = switch (maintenance.strip()) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--maintenance is on or off, not " + maintenance);
                };
                store.monitoring().monitor(appliance, !on);
                out.println(appliance.value() + (on ? " メンテナンス中（停止通知なし） / in maintenance" : " 監視中 / watched"));
                return 0;
            }
            if (manufactured != null && customer == null && !newCode) {
                store.rmas().manufactured(appliance, manufactured());
                out.println(appliance.value() + " 製造日 / manufactured " + manufactured().map(Object::toString).orElse("-"));
                return 0;
            }
            String code;
            if (newCode) {
                code = store.tenants().issueActivationCode(appliance);
            } else if (customer == null) {
                spec.commandLine().getErr().println("omamori cloud appliance: --customer is needed to register (or --new-code)");
                return 2;
            } else {
                code = store.tenants().registerAppliance(new CustomerId(customer), appliance, name);
                if (manufactured != null) {
                    store.rmas().manufactured(appliance, manufactured());
                }
            }
            out.println(code);
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("omamori cloud appliance: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("omamori cloud appliance: " + e.getMessage());
            return 2;
        }
    }
}
