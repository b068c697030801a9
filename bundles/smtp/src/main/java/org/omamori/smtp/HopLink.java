package org.omamori.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next hop's side of one mail: the transaction opened at the first accepted recipient, each
 * RCPT passed on, and the hand-over of the data, once more on a new connection with the
 * envelope replayed when the first went away (the hop had not said 250, so nothing doubles).
 */
final class HopLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HopLink.class);

    private final SmtpSettings settings;
    private final InetSocketAddress address;
    private final HopPool pool;
    private NextHop hop;
    /** When {@link #hop} was opened, on the pool's clock. */
    private long opened;

    HopLink(SmtpSettings settings, InetSocketAddress address, HopPool pool) {
        this.settings = settings;
        this.address = address;
        this.pool = pool;
    }

    boolean isOpen() {
        return hop != null;
    }

    /**
     * A transaction for this sender; the hop's answer to MAIL. On a kept connection when there is
     * one: if it has gone away or the hop is closing it (421), nothing of this mail was sent yet, so
     * a new connection takes the MAIL instead.
     */
    Reply open(Command.Mail mail) throws IOException {
        HopPool.Taken kept = pool.take();
        if (kept != null) {
            try {
                Reply r = kept.hop().mail(mail);
                if (r.code() != 421) {
                    hop = kept.hop();
                    opened = kept.opened();
                    return r;
                }
            } catch (IOException e) {
                LOG.debug("kept connection to {} gone: {}", settings.nextHop(), e.getMessage());
            }
            kept.hop().close();
        }
        connect();
        return hop.mail(mail);
    }

    private void connect() throws IOException {
        hop = NextHop.open(address, settings.hostname(), settings.nextHopTimeout(), settings.hopTls());
        opened = pool.now();
    }

    /** A new transaction for the same envelope; any refusal now defers the mail. */
    Reply reopen(Command.Mail mail, List<MailAddress> recipients) throws IOException {
        connect();
        if (!hop.mail(mail).positive()) {
            return Reply.of(451, "4.4.2", "The receiving server changed its mind; try again later");
        }
        for (MailAddress to : recipients) {
            if (!hop.rcpt(to).positive()) {
                return Reply.of(451, "4.4.2", "The receiving server changed its mind; try again later");
            }
        }
        return Reply.of(250, "2.0.0", "OK");
    }

    Reply rcpt(MailAddress to) throws IOException {
        return hop.rcpt(to);
    }

    /** The data to the hop (on this transaction, or a replayed one); the hop's answer, 451 when it went away. */
    Reply deliver(NextHop.Body body, Command.Mail mail, List<MailAddress> recipients) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (hop == null) {
                    Reply replayed = reopen(mail, recipients);
                    if (!replayed.positive()) {
                        close();
                        return replayed;
                    }
                }
                Reply r = hop.data(body);
                if (r.positive()) { // the transaction is over and the hop well: the next mail may use it
                    pool.give(hop, opened);
                    hop = null;
                } else {
                    hop.quit();
                    close();
                }
                return r;
            } catch (IOException e) {
                LOG.warn("next hop {} failed during DATA (attempt {}): {}", settings.nextHop(), attempt + 1, e.getMessage());
                close();
            }
        }
        return Reply.of(451, "4.4.2", "The receiving server went away; try again later");
    }

    @Override
    public void close() {
        if (hop != null) {
            hop.close();
            hop = null;
        }
    }
}
