package org.omamori.monitor.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.monitor.health.HealthRules;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.notify.Fault;
import org.omamori.store.Faults;

/**
 * The {@code mail} check of the cloud's {@code /health} (docs/metrics.md): degraded when the SMTP
 * server failed this node's latest send (temporarily: the mail is retried), or when the outbox
 * holds mails pending longer than the fault rules' threshold or given up after retrying (the level
 * A mail fault of docs/monitor.md, read the same way). Ok without SMTP configured: then mails stay
 * in the outbox by design. Not essential: the node still takes events in, and taking it out of a
 * load balancer would not get a mail out.
 */
public final class MailHealth implements HealthCheck {

    private final Optional<LastSend> sender;
    private final Cached<List<Faults.Observation>> outbox;

    /** @param sender the node's transport; empty when SMTP is not configured */
    public MailHealth(Optional<LastSend> sender, Faults faults, HealthSettings settings, Clock clock) {
        this.sender = sender;
        this.outbox = new Cached<>(() -> {
            Instant now = clock.instant();
            return HealthRules.mail(faults.outbox(now.minus(settings.mailStuckAfter()), now.minus(settings.givenUpWindow())), settings);
        }, CloudGauges.TTL, clock);
    }

    @Override
    public String name() {
        return "mail";
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public Health check() {
        if (sender.isEmpty()) {
            return Health.ok();
        }
        Optional<LastSend.Attempt> last = sender.get().last();
        if (last.isPresent() && last.get().serverFailed()) {
            return Health.degraded("the SMTP server did not take this node's latest mail at " + last.get().at()
                    + " (retried later; ./omamori cloud outbox says why)");
        }
        List<String> why;
        try {
            why = outbox.get().stream().filter(o -> o.level() == Fault.Level.A).map(Faults.Observation::summary).toList();
        } catch (RuntimeException e) {
            return Health.degraded("the outbox could not be read: " + e.getClass().getSimpleName());
        }
        return why.isEmpty() ? Health.ok() : Health.degraded(String.join("; ", why));
    }
}
