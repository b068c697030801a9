package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.store.Customer;
import org.omamori.store.Reseller;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "reseller", mixinStandardHelpOptions = true,
        description = "Back office: adds a reseller (with the edition its customers get) and prints its id, sets a "
                + "reseller's edition (--id ID --edition E, or default), or lists the resellers with their ids, editions and "
                + "number of customers. Customers are added to a reseller by its id (omamori cloud customer --reseller ID). "
                + "Exit codes: 0 done, 1 the store could not be opened, 2 bad input (said why).")
final class CloudResellerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--name", description = "The new reseller's name, e.g. 新潟商工会議所. Without it and --id: list the resellers.")
    String name;

    @Option(names = "--id", description = "The reseller whose edition --edition sets.")
    Long id;

    @Option(names = "--edition", paramLabel = "E", description = "The edition its customers get: an edition id (./omamori editions), "
            + "or default for the neutral default (the default).")
    String edition;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            Optional<String> chosen = edition == null || edition.strip().equals(NeutralEdition.ID) ? Optional.empty()
                    : Optional.of(edition.strip());
            chosen.filter(e -> CliEditions.installed().installed(e).isEmpty()).ifPresent(e -> spec.commandLine().getErr().println(
                    "omamori cloud reseller: note: edition " + e + " is not one this distribution ships; its customers get the "
                            + "neutral default until a node installs it"));
            if (id != null) {
                if (name != null || edition == null) {
                    spec.commandLine().getErr().println("omamori cloud reseller: --id takes --edition (and no --name)");
                    return 2;
                }
                store.tenants().edition(new ResellerId(id), chosen);
                out.println(id + " " + chosen.orElse(NeutralEdition.ID));
                return 0;
            }
            if (name == null) {
                Map<ResellerId, Integer> customers = new TreeMap<>((a, b) -> Long.compare(a.value(), b.value()));
                for (Customer c : store.tenants().customers(TenantScope.operator())) {
                    customers.merge(c.reseller(), 1, Integer::sum);
                }
                Table table = new Table().row("ID", "販売店/reseller", "エディション/edition", "顧客数/customers");
                for (Reseller r : store.tenants().resellers(TenantScope.operator())) {
                    table.row(String.valueOf(r.id().value()), r.name(), r.edition().orElse(NeutralEdition.ID),
                            String.valueOf(customers.getOrDefault(r.id(), 0)));
                }
                table.print(out);
                return 0;
            }
            String n = name.strip();
            if (n.isEmpty()) {
                spec.commandLine().getErr().println("omamori cloud reseller: --name is empty");
                return 2;
            }
            var same = store.tenants().resellers(TenantScope.operator()).stream().filter(r -> r.name().equals(n)).findFirst();
            if (same.isPresent()) {
                spec.commandLine().getErr().println("omamori cloud reseller: " + n + " exists already as reseller " + same.get().id().value());
                return 2;
            }
            out.println(store.tenants().createReseller(n, chosen).value());
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("omamori cloud reseller: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("omamori cloud reseller: " + e.getMessage());
            return 2;
        }
    }

}
