package org.omamori.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.omamori.backoffice.edition.Editions;
import org.omamori.notify.Brand;
import org.omamori.notify.MailBrands;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/** Opens the store a cloud home configures, for the operator's commands (docs/cloud.md). */
final class CloudStoreAccess {

    private CloudStoreAccess() {
    }

    static Path home(Path given) {
        return (given == null ? ApplianceHome.root().resolve("run").resolve("cloud") : given).toAbsolutePath();
    }

    /**
     * The brands of the mails a command sends on a node's behalf: each customer's edition (those this
     * distribution ships), else the home's own brand, as the node itself does.
     */
    static MailBrands brands(Path home) throws IOException {
        Editions editions = CliEditions.installed();
        return new MailBrands(id -> editions.installed(id).map(Editions.Installed::edition), Brand.ofHome(home));
    }

    /** The store of {@code home}; H2 is opened beside a running node through AUTO_SERVER. */
    static Store open(Path home) throws IOException {
        return Store.open(StoreSettings.ofHome(home));
    }

    /** A back-office command's work on the home's store. */
    @FunctionalInterface
    interface StoreBody {
        int run(Store store) throws IOException;
    }

    /**
     * Runs a back-office command's {@code body} on the store of {@code home}: its exit code; 1 when the
     * store cannot be opened; {@code refused} when a rule, the state or the input said no
     * (IllegalStateException, which a ContractRuleException is), 2 for bad input (IllegalArgumentException);
     * the message goes to the error stream after {@code command}.
     */
    static int run(picocli.CommandLine.Model.CommandSpec spec, Path home, String command, int refused, StoreBody body) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        try (Store store = open(home(home))) {
            try {
                return body.run(store);
            } catch (IllegalStateException e) {
                err.println(command + ": " + e.getMessage());
                return refused;
            } catch (IllegalArgumentException e) {
                err.println(command + ": " + e.getMessage());
                return 2;
            }
        } catch (IllegalStateException | IOException e) {
            err.println(command + ": " + e.getMessage());
            return 1;
        }
    }
}
