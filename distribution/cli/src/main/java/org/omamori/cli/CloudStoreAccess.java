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
}
