package org.omamori.desk;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;

/**
 * The desk's mailbox, read over IMAP (Jakarta Mail): each unread mail becomes a ticket or continues
 * one ({@link Desk#fromMail}) and is then marked read. A mail taken in twice (a crash between the
 * ticket and the flag) is recognised by its Message-ID. A mail that cannot be read is marked read
 * and flagged, counted and logged without its contents, so one bad mail never blocks the rest.
 */
public final class DeskMailbox {

    private static final Logger LOG = LoggerFactory.getLogger(DeskMailbox.class);

    /**
     * Where the mailbox is.
     *
     * @param tls     IMAPS (TLS from the start) rather than plain IMAP
     * @param batch   the most mails taken in one read
     */
    public record Settings(String host, int port, boolean tls, String user, String password, String folder, Duration timeout, int batch) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(timeout, "timeout");
            if (port < 1 || port > 65535 || batch < 1) {
                throw new IllegalArgumentException("imap port " + port + " or batch " + batch);
            }
        }

        @Override
        public String toString() {
            return (tls ? "imaps://" : "imap://") + host + ":" + port + "/" + folder; // never the login
        }
    }

    /** What one read did. */
    public record Read(int taken, int continued, int duplicates, int unreadable) {
    }

    private final Settings settings;
    private final Desk desk;
    private final Clock clock;

    public DeskMailbox(Settings settings, Desk desk, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads the unread mails once. */
    public Read readOnce() throws MessagingException {
        String protocol = settings.tls() ? "imaps" : "imap";
        Properties p = new Properties();
        String ms = Long.toString(settings.timeout().toMillis());
        p.setProperty("mail." + protocol + ".connectiontimeout", ms);
        p.setProperty("mail." + protocol + ".timeout", ms);
        p.setProperty("mail." + protocol + ".writetimeout", ms);
        p.setProperty("mail.mime.charset", "UTF-8");
        Session session = Session.getInstance(p);
        int taken = 0;
        int continued = 0;
        int duplicates = 0;
        int unreadable = 0;
        try (Store store = session.getStore(protocol)) {
            store.connect(settings.host(), settings.port(), settings.user(), settings.password());
            Folder folder = store.getFolder(settings.folder());
            folder.open(Folder.READ_WRITE);
            try {
                Message[] unread = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                for (int i = 0; i < unread.length && i < settings.batch(); i++) {
                    Message m = unread[i];
                    Optional<Desk.Intake> intake;
                    try {
                        intake = Optional.of(desk.fromMail(InboundMail.of(m, clock.instant())));
                    } catch (RuntimeException | MessagingException | java.io.IOException e) {
                        unreadable++;
                        intake = Optional.empty();
                        LOG.warn("desk mailbox {}: mail {} not taken in ({}); marked read and flagged for the operator", settings, m.getMessageNumber(),
                                e.getClass().getSimpleName());
                        m.setFlag(Flags.Flag.FLAGGED, true);
                    }
                    if (intake.isPresent()) {
                        switch (intake.get().taken()) {
                            case NEW -> taken++;
                            case CONTINUED -> continued++;
                            case DUPLICATE -> duplicates++;
                        }
                    }
                    m.setFlag(Flags.Flag.SEEN, true);
                }
            } finally {
                folder.close(false);
            }
        }
        if (taken + continued + duplicates + unreadable > 0) {
            LOG.info("desk mailbox {}: {} new tickets, {} replies, {} read before, {} unreadable", settings, taken, continued, duplicates, unreadable);
        }
        return new Read(taken, continued, duplicates, unreadable);
    }
}
