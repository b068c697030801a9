package org.omamori.monitor.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.notify.MailTransport;
import org.omamori.notify.OutboxEntry;
import org.omamori.notify.SendResult;

/**
 * The mail transport, remembering how its latest send went on this node: the mail health check
 * says at once when the SMTP server stops taking mail, before mails count as stuck.
 */
public final class LastSend implements MailTransport {

    /** The latest send's time, and whether the server took it or failed temporarily (a permanent refusal is the mail's, not the server's). */
    record Attempt(Instant at, boolean serverFailed) {
    }

    private final MailTransport transport;
    private final Clock clock;
    private volatile Attempt last;

    public LastSend(MailTransport transport, Clock clock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SendResult send(OutboxEntry entry) {
        SendResult r = transport.send(entry);
        last = new Attempt(clock.instant(), r instanceof SendResult.Retry);
        return r;
    }

    Optional<Attempt> last() {
        return Optional.ofNullable(last);
    }
}
