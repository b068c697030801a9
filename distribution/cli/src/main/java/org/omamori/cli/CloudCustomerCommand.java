package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.omamori.notify.Recipients;
import org.omamori.store.CustomerId;
import org.omamori.store.Reseller;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "customer", mixinStandardHelpOptions = true,
        description = "Back office: adds a customer of a reseller with its alert mail addresses (1 to 3), or lists the "
                + "customers; at a contract's end, --erase ID --confirm NAME destroys the customer's data. Exit codes: "
                + "0 done, 1 the store could not be opened, 2 bad input (said why).")
final class CloudCustomerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--reseller", paramLabel = "ID",
            description = "The reseller's id (omamori cloud reseller lists them and adds one).")
    Long reseller;

    @Option(names = "--name", description = "The customer's name, e.g. 株式会社サンプル. Without it: list the customers.")
    String name;

    @Option(names = "--mail", split = ",", description = "Alert mail addresses, comma-separated (at most 3).")
    List<String> mail;

    @Option(names = "--id", paramLabel = "ID",
            description = "Change this customer: its alert mail addresses (--mail) and company data (--name and the options below).")
    Long id;

    @Option(names = "--contact", description = "The contact person's name (with --id).")
    String contact;

    @Option(names = "--department", description = "The contact's department (with --id).")
    String department;

    @Option(names = "--title", description = "The contact's title (with --id).")
    String title;

    @Option(names = "--contact-mail", description = "The contact's mail address (with --id).")
    String contactMail;

    @Option(names = "--address", description = "The company's address (with --id).")
    String address;

    @Option(names = "--phone", description = "The company's phone number (with --id).")
    String phone;

    @Option(names = "--erase", paramLabel = "ID",
            description = "The contract ended: destroy everything of this customer (events, alerts, mails, accounts, company data), "
                    + "revoke its appliances' credentials and mark them for erasure on return. Needs --confirm.")
    Long erase;

    @Option(names = "--confirm", paramLabel = "NAME", description = "The customer's name exactly, to confirm --erase.")
    String confirm;

    /** The desk's changes (000 §7.6): only what is given changes; the rest stays as it was. */
    private int change(Store store, PrintWriter out) {
        CustomerId c = new CustomerId(id);
        var current = store.tenants().profile(TenantScope.operator(), c);
        if (current.isEmpty()) {
            spec.commandLine().getErr().println("omamori cloud customer: there is no customer " + id);
            return 2;
        }
        var p = current.get();
        var changed = new org.omamori.store.CustomerProfile(or(name, p.name()), or(contact, p.contactName()), or(department, p.department()),
                or(title, p.title()), or(contactMail, p.mail()), or(address, p.address()), or(phone, p.phone()));
        Recipients to = mail == null ? null : new Recipients(mail);
        store.tenants().updateProfile(TenantScope.operator(), c, changed);
        if (to != null) {
            checkRecipients(store, c, to);
            store.monitoring().recipients(c, to);
        }
        out.println("customer " + id + " changed: " + changed.name()
                + (to == null ? "" : "; alert mail to " + String.join(", ", to.addresses())));
        return 0;
    }

    private static String or(String given, String current) {
        return given == null ? current : given;
    }

    /** Nothing is undone after this: the name typed again is the operator's confirmation. */
    private int erase(Store store, PrintWriter out) {
        CustomerId c = new CustomerId(erase);
        var profile = store.tenants().profile(TenantScope.operator(), c);
        if (profile.isEmpty()) {
            spec.commandLine().getErr().println("omamori cloud customer: there is no customer " + erase);
            return 2;
        }
        if (confirm == null || !confirm.strip().equals(profile.get().name())) {
            spec.commandLine().getErr().println("omamori cloud customer: --erase " + erase + " destroys all data of " + profile.get().name()
                    + "; give --confirm with that name exactly");
            return 2;
        }
        var erased = store.tenants().erase(c);
        out.println("customer " + erase + " erased: " + erased.rows() + " rows; appliances to wipe on return: "
                + (erased.appliances().isEmpty() ? "none" : String.join(", ", erased.appliances().stream().map(a -> a.value()).toList())));
        return 0;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            if (erase != null) {
                return erase(store, out);
            }
            if (id != null) {
                return change(store, out);
            }
            if (name == null) {
                Table table = new Table().row("ID", "販売店/reseller", "顧客/customer", "宛先/mail");
                var resellers = store.tenants().resellers(TenantScope.operator());
                for (var c : store.tenants().customers(TenantScope.operator())) {
                    String r = resellers.stream().filter(x -> x.id().equals(c.reseller())).map(Reseller::name).findFirst().orElse("");
                    String to = store.monitoring().recipients(TenantScope.operator(), c.id())
                            .map(x -> String.join(", ", x.addresses())).orElse("(none)");
                    table.row(String.valueOf(c.id().value()), r, c.name(), to);
                }
                table.print(out);
                return 0;
            }
            if (reseller == null || mail == null) {
                spec.commandLine().getErr().println("omamori cloud customer: --reseller and --mail are needed with --name");
                return 2;
            }
            Recipients to;
            try {
                to = new Recipients(mail);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("omamori cloud customer: " + e.getMessage());
                return 2;
            }
            // By id, never by name: a mistyped name once made a new reseller without a word.
            ResellerId r = new ResellerId(reseller);
            if (store.tenants().resellers(TenantScope.operator()).stream().noneMatch(x -> x.id().equals(r))) {
                spec.commandLine().getErr().println("omamori cloud customer: there is no reseller " + reseller
                        + "; list them with omamori cloud reseller, add one with omamori cloud reseller --name NAME");
                return 2;
            }
            Optional<String> edition = store.tenants().resellers(TenantScope.operator()).stream().filter(x -> x.id().equals(r)).findFirst()
                    .flatMap(org.omamori.store.Reseller::edition);
            CliEditions.installed().checkRecipients(edition, to.addresses().size());
            CustomerId c = store.tenants().createCustomer(r, name.strip());
            store.monitoring().recipients(c, to);
            out.println(c.value());
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("omamori cloud customer: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("omamori cloud customer: " + e.getMessage());
            return 2;
        }
    }

    /** The customer's edition allows this many addresses (docs/edition-sdk.md "Terms"). */
    private static void checkRecipients(org.omamori.store.Store store, CustomerId c, Recipients to) {
        Optional<String> edition = store.tenants().resellers(TenantScope.customer(c)).stream().findFirst()
                .flatMap(org.omamori.store.Reseller::edition);
        CliEditions.installed().checkRecipients(edition, to.addresses().size());
    }
}
