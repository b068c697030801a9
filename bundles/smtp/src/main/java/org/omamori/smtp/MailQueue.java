package org.omamori.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue for a next hop that is down: mails already inspected, kept on disk
 * ({@link QueueFile}) and retried oldest first with exponential backoff; returned to the sender
 * with a delivery status notification ({@link Dsn}) after {@code bounceAfter} or a 5xx. Bounded
 * by mails and bytes; when full the client is answered 451 and keeps the mail. Delivery is at
 * least once: a hop that took the mail but went away before its 250 reached us gets it again.
 */
final class MailQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailQueue.class);

    /** A queued mail and when it is tried next. */
    private static final class Slot {
        QueueFile file;
        int attempts;
        long due;

        Slot(QueueFile file, long due) {
            this.file = file;
            this.due = due;
        }
    }

    private final SmtpSettings settings;
    private final QueueSettings q;
    private final InetSocketAddress hop;
    private final Clock clock;
    private final TreeMap<String, Slot> slots = new TreeMap<>();
    private final Object wake = new Object();
    private long bytes;
    private int reserved;
    private long sequence;
    private volatile boolean closed;
    private Thread runner;

    private MailQueue(SmtpSettings settings, InetSocketAddress hop, Clock clock) {
        this.settings = settings;
        this.q = settings.queue();
        this.hop = hop;
        this.clock = clock;
    }

    /** Loads what a previous run left (half-written files are deleted) and starts the runner. */
    static MailQueue start(SmtpSettings settings, InetSocketAddress hop, Clock clock) throws IOException {
        MailQueue queue = new MailQueue(settings, hop, clock);
        queue.load();
        queue.runner = Thread.ofVirtual().name("omamori-smtp-queue").start(queue::run);
        return queue;
    }

    private void load() throws IOException {
        Path dir = q.directory();
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    LOG.info("deleting {}: half-written, never acknowledged to its sender (who sends it again)", name);
                    Files.deleteIfExists(p);
                } else if (name.endsWith(".mail")) {
                    try {
                        QueueFile f = QueueFile.read(p);
                        slots.put(name, new Slot(f, clock.millis()));
                        bytes += f.size();
                    } catch (IOException e) {
                        LOG.error("queue file {} cannot be read ({}); moved aside as {}.bad for the operator", name, e.getMessage(), name);
                        Files.move(p, p.resolveSibling(name + ".bad"));
                    }
                }
            }
        }
        if (!slots.isEmpty()) {
            LOG.info("{} mail(s) in the queue from before; trying them now", slots.size());
        }
    }

    /** Whether one more mail would fit now (checked at RCPT when the next hop is down). */
    synchronized boolean hasRoom() {
        return slots.size() + reserved < q.maxMails() && bytes < q.maxBytes();
    }

    synchronized int size() {
        return slots.size();
    }

    /**
     * Writes the mail durably into the queue; true when it is there (the client may get 250),
     * false when the queue is full (451: the sender keeps it).
     */
    boolean enqueue(Command.Mail mail, List<MailAddress> recipients, NextHop.Body body) throws IOException {
        return add(mail, recipients, body, true);
    }

    private boolean add(Command.Mail mail, List<MailAddress> recipients, NextHop.Body body, boolean bounded) throws IOException {
        long now = clock.millis();
        String name;
        synchronized (this) {
            if (bounded && !hasRoom()) {
                return false;
            }
            reserved++;
            name = String.format("q-%013d-%06d", now, sequence++ % 1_000_000);
        }
        QueueFile f;
        try {
            f = QueueFile.write(q.directory(), name, now, mail, recipients, body);
        } finally {
            synchronized (this) {
                reserved--;
            }
        }
        synchronized (this) {
            if (bounded && bytes + f.size() > q.maxBytes()) {
                f.delete();
                return false;
            }
            bytes += f.size();
            // A mail the hop just refused is tried after the first backoff; a notification at once.
            slots.put(f.file().getFileName().toString(), new Slot(f, bounded ? now + q.backoff(1).toMillis() : now));
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        return true;
    }

    private void run() {
        long tick = Math.max(50, Math.min(1000, q.firstRetry().toMillis() / 2));
        while (!closed) {
            List<Map.Entry<String, Slot>> due = new ArrayList<>();
            synchronized (this) {
                long now = clock.millis();
                for (Map.Entry<String, Slot> e : slots.entrySet()) { // oldest first: names sort by arrival
                    if (e.getValue().due <= now) {
                        due.add(e);
                    }
                }
            }
            for (Map.Entry<String, Slot> e : due) {
                if (closed) {
                    return;
                }
                try {
                    attempt(e.getKey(), e.getValue());
                } catch (IOException | RuntimeException ex) {
                    LOG.warn("queue: {} could not be handled now: {}", e.getKey(), ex.getMessage());
                    e.getValue().due = clock.millis() + q.backoff(++e.getValue().attempts).toMillis();
                }
            }
            synchronized (wake) {
                try {
                    wake.wait(tick);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** One delivery attempt of one queued mail. */
    private void attempt(String name, Slot slot) throws IOException {
        QueueFile f = slot.file;
        List<MailAddress> pending = f.pending();
        long now = clock.millis();
        List<Dsn.Failure> failed = new ArrayList<>();
        List<MailAddress> delivered = new ArrayList<>();
        boolean expired = now - f.arrived() >= q.bounceAfter().toMillis();
        if (expired) {
            for (MailAddress to : pending) {
                failed.add(new Dsn.Failure(to, Reply.of(554, "5.4.7", "Delivery time expired")));
            }
        } else {
            try (NextHop h = NextHop.open(hop, settings.hostname(), settings.nextHopTimeout(), settings.hopTls())) {
                Reply m = h.mail(f.mail());
                if (m.permanent()) {
                    pending.forEach(to -> failed.add(new Dsn.Failure(to, m)));
                } else if (m.positive()) {
                    List<MailAddress> accepted = new ArrayList<>();
                    for (MailAddress to : pending) {
                        Reply r = h.rcpt(to);
                        if (r.positive()) {
                            accepted.add(to);
                        } else if (r.permanent()) {
                            failed.add(new Dsn.Failure(to, r));
                        }
                    }
                    if (!accepted.isEmpty()) {
                        Reply d = h.data(f.body());
                        if (d.positive()) {
                            delivered.addAll(accepted);
                        } else if (d.permanent()) {
                            accepted.forEach(to -> failed.add(new Dsn.Failure(to, d)));
                        }
                    }
                    h.quit();
                }
            } catch (IOException e) {
                LOG.info("queue: next hop {} still unavailable for {} ({})", settings.nextHop(), name, e.getMessage());
            }
        }
        List<MailAddress> settled = new ArrayList<>(delivered);
        failed.forEach(x -> settled.add(x.recipient()));
        if (!failed.isEmpty()) {
            bounce(f, failed, expired);
        }
        f = f.settle(settled);
        slot.file = f;
        if (!delivered.isEmpty()) {
            LOG.info("queue: {} delivered to {} recipient(s)", name, delivered.size());
        }
        if (f.pending().isEmpty()) {
            f.delete();
            synchronized (this) {
                slots.remove(name);
                bytes -= f.size();
            }
        } else {
            slot.due = clock.millis() + q.backoff(++slot.attempts).toMillis();
        }
    }

    /** A delivery status notification to the sender, through this queue; none for a null sender. */
    private void bounce(QueueFile f, List<Dsn.Failure> failed, boolean expired) throws IOException {
        MailAddress sender = f.mail().from();
        if (sender.isNull()) {
            LOG.warn("queue: {} undeliverable to {} recipient(s); its sender is null (a notification itself), so nothing is returned",
                    f.file().getFileName(), failed.size());
            return;
        }
        byte[] dsn = Dsn.of(settings.hostname(), sender, f.arrived(), failed, f.headers(settings.maxHeaderBytes()), expired,
                clock.instant());
        boolean eightBit = false;
        for (byte b : dsn) {
            eightBit |= b < 0;
        }
        Command.Mail mail = new Command.Mail(MailAddress.NULL, dsn.length, eightBit, sender.international());
        add(mail, List.of(sender), out -> out.write(dsn), false);
        LOG.info("queue: {} returned to its sender for {} recipient(s) ({})", f.file().getFileName(), failed.size(),
                expired ? "expired" : "refused");
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (runner != null) {
            try {
                runner.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
