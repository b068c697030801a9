package org.omamori.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP intake: one server socket per listener, one virtual thread per connection. Mails
 * left in the spool directory by a crash were never acknowledged (the sender got no 250), so
 * they are deleted at start: the sender sends them again.
 */
public final class SmtpIntake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpIntake.class);

    private final SmtpSettings settings;
    private final Pipeline pipeline;
    private final EventFactory events;
    private final EventSink sink;
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final Semaphore connections;
    private final InetSocketAddress hop;
    /** Connections to the next hop kept between mails: up to half the sessions, at most 16 (Postfix opens up to 20 to one destination). */
    private final HopPool hops;
    private MailQueue queue;
    private volatile boolean closed;

    private SmtpIntake(SmtpSettings settings, Pipeline pipeline, EventFactory events, EventSink sink) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.events = events;
        this.sink = sink;
        this.connections = new Semaphore(settings.maxConnections());
        this.hop = new InetSocketAddress(settings.nextHop().host(), settings.nextHop().port());
        this.hops = HopPool.of(Math.clamp(settings.maxConnections() / 2, 1, 16));
    }

    public static SmtpIntake start(SmtpSettings settings, Pipeline pipeline, EventFactory events, EventSink sink) throws IOException {
        return start(settings, pipeline, events, sink, Clock.systemUTC());
    }

    /** As {@link #start(SmtpSettings, Pipeline, EventFactory, EventSink)}, with the queue's clock (tests move it). */
    public static SmtpIntake start(SmtpSettings settings, Pipeline pipeline, EventFactory events, EventSink sink, Clock clock)
            throws IOException {
        SmtpIntake intake = new SmtpIntake(settings, pipeline, events, sink);
        try {
            intake.clearSpool();
            if (settings.queue().enabled()) {
                intake.queue = MailQueue.start(settings, intake.hop, clock);
            }
            for (SmtpListener l : settings.listeners()) {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(l.socketAddress(), 128);
                intake.servers.add(server);
                Thread t = Thread.ofPlatform().daemon().name("omamori-smtp-accept-" + l).start(() -> intake.accept(server, l));
                intake.acceptors.add(t);
                LOG.info("SMTP intake listening on {} (zone {}), next hop {}", server.getLocalSocketAddress(), l.zone(),
                        settings.nextHop());
            }
        } catch (IOException | RuntimeException e) {
            intake.close();
            throw e;
        }
        return intake;
    }

    /** The bound addresses, in the order of the listeners (port 0 resolved). */
    public List<InetSocketAddress> addresses() {
        return servers.stream().map(s -> (InetSocketAddress) s.getLocalSocketAddress()).toList();
    }

    private void clearSpool() throws IOException {
        Path dir = settings.spoolDirectory();
        Files.createDirectories(dir);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, "mail-*.eml")) {
            for (Path p : left) {
                LOG.info("deleting {}, never acknowledged to its sender (who sends it again)", p.getFileName());
                Files.deleteIfExists(p);
            }
        }
    }

    private void accept(ServerSocket server, SmtpListener listener) {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("SMTP accept on {} failed: {}", listener, e.getMessage());
                    try {
                        Thread.sleep(100); // e.g. out of file descriptors: do not spin
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                try (socket) {
                    socket.getOutputStream().write("421 4.3.2 Too many connections; try again later\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // gone
                }
                continue;
            }
            Thread.ofVirtual().name("omamori-smtp-" + socket.getInetAddress().getHostAddress()).start(() -> {
                try {
                    new SmtpSession(socket, settings, listener, hop, hops, pipeline, events, sink, queue).run();
                } catch (RuntimeException e) {
                    LOG.warn("SMTP session from {} failed", socket.getInetAddress(), e);
                } finally {
                    connections.release();
                }
            });
        }
    }

    /** Mails in the queue now (0 when it is off). */
    public int queued() {
        return queue == null ? 0 : queue.size();
    }

    @Override
    public void close() {
        closed = true;
        if (queue != null) {
            queue.close();
        }
        hops.close();
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
