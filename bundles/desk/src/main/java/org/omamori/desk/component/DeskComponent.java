package org.omamori.desk.component;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.edition.Editions;
import org.omamori.desk.Desk;
import org.omamori.desk.DeskMailbox;
import org.omamori.desk.RmaDesk;
import org.omamori.notify.Brand;
import org.omamori.notify.MailBrands;
import org.omamori.scheduler.Jobs;
import org.omamori.store.Store;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the desk in a cloud node (configuration {@code org.omamori.desk}): reads the mailbox when one
 * is configured and closes answered tickets after 14 days, both through the cluster-safe scheduler
 * so that one node does each run.
 */
@Component(service = {}, immediate = true, configurationPid = DeskComponent.PID)
public final class DeskComponent {

    public static final String PID = "org.omamori.desk";
    private static final Logger LOG = LoggerFactory.getLogger(DeskComponent.class);

    private final Editions editions = new Editions();
    private final Jobs jobs;

    @Activate
    public DeskComponent(BundleContext context, DeskConfig config, @Reference Store store) {
        Desk desk = new Desk(store.tickets(), editions::of, Clock.systemUTC());
        RmaDesk rmas = new RmaDesk(store, id -> editions.of(Optional.of(id)), new MailBrands(
                id -> editions.installed(id).map(Editions.Installed::edition), nodeBrand(context.getProperty("omamori.home"))));
        Jobs.Builder b = Jobs.on(store.dataSource()).every("desk-auto-close", Duration.ofMinutes(30), at -> desk.closeDue())
                // A replacement that activated is the customer's swap: settings carried over, the faulty unit revoked.
                .every("rma-swaps", Duration.ofMinutes(1), at -> rmas.swapActivated(at.atZone(DeskDeadlines.JST)));
        if (!config.imapHost().isBlank()) {
            DeskMailbox.Settings s = new DeskMailbox.Settings(config.imapHost().trim(), config.imapPort(), config.imapTls(),
                    config.imapUser().trim(), config._imapPassword(), config.imapFolder().trim(), Duration.ofSeconds(30), 200);
            DeskMailbox mailbox = new DeskMailbox(s, desk, Clock.systemUTC());
            b = b.every("desk-mailbox", Duration.ofSeconds(Math.max(10, config.pollSeconds())), at -> mailbox.readOnce());
            LOG.info("desk: reading {} every {} s", s, Math.max(10, config.pollSeconds()));
        } else {
            LOG.info("desk: no mailbox configured (imapHost): tickets come from the portal");
        }
        this.jobs = b.start();
    }

    /** The node's own brand (its monitor configuration), for customers of the neutral default. */
    static Brand nodeBrand(String home) {
        try {
            return home == null ? Brand.standard() : Brand.ofHome(Path.of(home));
        } catch (java.io.IOException e) {
            LOG.warn("desk: the node's brand could not be read ({}); the standard one is used", e.getMessage());
            return Brand.standard();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeEdition")
    void addEdition(Edition edition, ServiceReference<Edition> reference) {
        try {
            editions.install(edition, reference.getBundle().getVersion().toString());
        } catch (RuntimeException e) {
            // The monitor logs why; the desk uses the neutral default for it.
        }
    }

    void removeEdition(Edition edition) {
        editions.remove(edition);
    }

    @Deactivate
    void stop() {
        jobs.close();
    }

}
