package org.omamori.smtp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLSocket;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the ESMTP dialogue, the relay check, DATA streamed through the MIME
 * walk to the pipeline and onto the disk, and the hand-over to the next hop. The client gets
 * 250 only after the next hop answered 250; until then the mail is the sender's (a crash loses
 * nothing: the sender retries). Events are published with the final answer, never for a 4xx
 * that the sender will retry.
 */
final class SmtpSession implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final int CHUNK = 64 << 10;
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final SmtpSettings settings;
    private final SmtpListener listener;
    private final Pipeline pipeline;
    private final EventFactory events;
    private final EventSink sink;
    private Socket socket;
    private SmtpInput in;
    private OutputStream out;
    private final InetAddress client;
    private final int clientPort;
    private final InetSocketAddress nextHopAddress;

    private String helo;
    private boolean extended;
    private boolean tls;
    private int errors;
    // The transaction
    private Command.Mail mail;
    private final List<MailAddress> recipients = new ArrayList<>();
    private NextHop hop;

    SmtpSession(Socket socket, SmtpSettings settings, SmtpListener listener, InetSocketAddress nextHopAddress,
                Pipeline pipeline, EventFactory events, EventSink sink) {
        this.socket = socket;
        this.settings = settings;
        this.listener = listener;
        this.nextHopAddress = nextHopAddress;
        this.pipeline = pipeline;
        this.events = events;
        this.sink = sink;
        this.client = socket.getInetAddress();
        this.clientPort = socket.getPort();
    }

    @Override
    public void run() {
        try {
            socket.setSoTimeout((int) settings.idleTimeout().toMillis());
            socket.setTcpNoDelay(true); // replies are whole writes; the client waits for each
            in = new SmtpInput(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
            reply(220, "", settings.hostname() + " ESMTP");
            flush();
            dialogue();
        } catch (SocketTimeoutException e) {
            quietly(421, "4.4.2", "Timeout; closing");
        } catch (EOFException e) {
            LOG.debug("client {} left", client);
        } catch (IOException e) {
            LOG.debug("connection from {} ended: {}", client, e.getMessage());
        } finally {
            endTransaction();
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void dialogue() throws IOException {
        while (true) {
            SmtpInput.Line line = in.readLine(CommandParser.MAX_LINE);
            if (line == null) {
                return;
            }
            if (line.tooLong()) {
                if (error(500, "5.5.2", "Line too long")) {
                    return;
                }
                continue;
            }
            if (line.bareLf()) {
                if (error(500, "5.5.2", "Line ends must be CRLF")) {
                    return;
                }
                continue;
            }
            Command command;
            try {
                command = CommandParser.parse(line.bytes(), 0, line.length());
            } catch (CommandException e) {
                if (error(e.reply())) {
                    return;
                }
                continue;
            }
            if (!handle(command)) {
                flush();
                return;
            }
            if (in.pending() == 0) {
                flush(); // PIPELINING: answer a group at once, flush when the client waits
            }
        }
    }

    /** Handles one command; false ends the connection. */
    private boolean handle(Command command) throws IOException {
        switch (command) {
            case Command.Hello h -> {
                endTransaction();
                helo = h.name();
                extended = h.extended();
                if (!extended) {
                    reply(250, "", settings.hostname());
                    return true;
                }
                List<String> lines = new ArrayList<>();
                lines.add(settings.hostname());
                lines.add("PIPELINING");
                lines.add("SIZE " + settings.maxMessageBytes());
                lines.add("8BITMIME");
                lines.add("SMTPUTF8");
                lines.add("ENHANCEDSTATUSCODES");
                if (settings.tls().isPresent() && !tls) {
                    lines.add("STARTTLS");
                }
                for (int i = 0; i < lines.size(); i++) {
                    ascii((i == lines.size() - 1 ? "250 " : "250-") + lines.get(i) + "\r\n");
                }
            }
            case Command.StartTls s -> {
                if (settings.tls().isEmpty() || tls) {
                    reply(502, "5.5.1", "STARTTLS not available");
                    return true;
                }
                if (in.pending() > 0) {
                    // Bytes after STARTTLS before the handshake would be taken as sent under TLS (CVE-2011-0411).
                    reply(554, "5.5.0", "No commands may follow STARTTLS before the handshake; closing");
                    return false;
                }
                reply(220, "2.0.0", "Ready to start TLS");
                flush();
                startTls();
            }
            case Command.Mail m -> {
                if (helo == null) {
                    reply(503, "5.5.1", "Say EHLO first");
                } else if (mail != null) {
                    reply(503, "5.5.1", "Nested MAIL command");
                } else if (m.size() > settings.maxMessageBytes()) {
                    reply(552, "5.3.4", "Message size exceeds the limit of " + settings.maxMessageBytes() + " bytes");
                } else if (m.from().international() && !m.utf8()) {
                    reply(553, "5.6.7", "International address without SMTPUTF8");
                } else {
                    mail = m;
                    reply(250, "2.1.0", "Sender OK");
                }
            }
            case Command.Rcpt r -> rcpt(r.to());
            case Command.Data d -> {
                if (mail == null || recipients.isEmpty()) {
                    reply(mail == null ? 503 : 554, "5.5.1", mail == null ? "Say MAIL first" : "No valid recipients");
                    if (in.pending() > 0) {
                        // The mail's content pipelined behind a refused DATA would be read as commands.
                        reply(554, "5.5.0", "Content sent before 354; closing");
                        return false;
                    }
                    return true;
                }
                return data();
            }
            case Command.Rset r -> {
                endTransaction();
                reply(250, "2.0.0", "OK");
            }
            case Command.Noop n -> reply(250, "2.0.0", "OK");
            case Command.Quit q -> {
                reply(221, "2.0.0", "Bye");
                return false;
            }
            case Command.Other o -> reply(o.verb().equals("HELP") ? 214 : 252, "2.0.0",
                    o.verb().equals("HELP") ? "See RFC 5321" : "Cannot verify; send the mail and it will be tried");
        }
        return true;
    }

    private void rcpt(MailAddress to) throws IOException {
        if (mail == null) {
            reply(503, "5.5.1", "Say MAIL first");
            return;
        }
        if (recipients.size() >= settings.maxRecipients()) {
            reply(452, "4.5.3", "Too many recipients");
            return;
        }
        if (to.international() && !mail.utf8()) {
            reply(553, "5.6.7", "International address without SMTPUTF8");
            return;
        }
        if (!settings.relay().allows(client, to)) {
            reply(554, "5.7.1", "Relay access denied");
            return;
        }
        if (hop == null) {
            try {
                // The first recipient opens the transaction; after a lost hop, the recipients taken so far are replayed.
                Reply r = recipients.isEmpty() ? open() : reopen();
                if (!r.positive()) {
                    closeHop();
                    reply(r);
                    return;
                }
            } catch (IOException e) {
                LOG.warn("next hop {} unavailable: {}", settings.nextHop(), e.getMessage());
                closeHop();
                reply(451, "4.4.1", "The receiving server is not reachable now; try again later");
                return;
            }
        }
        Reply r;
        try {
            r = hop.rcpt(to);
        } catch (IOException e) {
            closeHop();
            reply(451, "4.4.2", "The receiving server went away; try again later");
            return;
        }
        if (r.positive()) {
            recipients.add(to);
        }
        reply(r);
    }

    /** DATA: streamed through the MIME walk and onto disk, then to the next hop. False closes. */
    private boolean data() throws IOException {
        reply(354, "", "End data with <CR><LF>.<CR><LF>");
        flush();
        Files.createDirectories(settings.spoolDirectory());
        Path file = Files.createTempFile(settings.spoolDirectory(), "mail-", ".eml");
        InspectionRequest request = request();
        MimeWalk.Outcome<PipelineResult> outcome;
        DataStream data;
        try {
            try (OutputStream spool = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
                data = new DataStream(in, spool, settings.maxMessageBytes(), settings.maxLineBytes());
                try {
                    outcome = MimeWalk.walk(data, settings, (entity, type, decoded) -> inspect(request, decoded));
                    data.drain();
                } catch (DataStream.TooLarge e) {
                    reply(552, "5.3.4", "Message size exceeds the limit of " + settings.maxMessageBytes() + " bytes; closing");
                    return false;
                } catch (IOException e) {
                    if (causedBy(e, DataStream.TooLarge.class)) {
                        reply(552, "5.3.4", "Message size exceeds the limit of " + settings.maxMessageBytes() + " bytes; closing");
                        return false;
                    }
                    throw e;
                }
            }
            Reply answer = decide(file, data, outcome, request);
            reply(answer);
        } finally {
            Files.deleteIfExists(file);
            endTransaction();
        }
        return true;
    }

    /** The answer to DATA: refuse, defer, or deliver to the next hop (with notices) and pass on its answer. */
    private Reply decide(Path file, DataStream data, MimeWalk.Outcome<PipelineResult> outcome, InspectionRequest request)
            throws IOException {
        if (data.fault() != null) {
            return Reply.of(554, "5.6.0", "Message refused: it has " + data.fault());
        }
        if (outcome.fault() != null) {
            return Reply.of(554, "5.6.0", "Message refused: " + outcome.fault());
        }
        if (outcome.hops() > settings.maxHops()) {
            return Reply.of(554, "5.4.6", "Too many hops; the mail is looping");
        }
        List<Event> found = new ArrayList<>();
        Map<Integer, String> notices = new HashMap<>();
        boolean unscannedBlock = false;
        List<MimeWalk.Part<PipelineResult>> infected = new ArrayList<>();
        for (MimeWalk.Part<PipelineResult> part : outcome.parts()) {
            Verdict v = part.result().verdict();
            if (v.action() == Action.BLOCK) {
                if (v.finding().map(Finding::evidence).orElse(Evidence.NONE).equals(Evidence.UNSCANNED)) {
                    unscannedBlock = true;
                } else {
                    infected.add(part);
                }
            } else if (v.action() == Action.NEUTRALISE) {
                infected.add(part);
            }
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Asia/Tokyo"));
        boolean refuse = !infected.isEmpty() && settings.infected() == InfectedAction.REFUSE;
        int leaf = 0;
        for (MimeWalk.Part<PipelineResult> part : outcome.parts()) {
            leaf++;
            boolean bad = infected.contains(part);
            String where = "attachment " + leaf + " (" + part.mimeType() + ")";
            PipelineResult result = part.result();
            if (bad) {
                String signature = result.verdict().finding().map(Finding::ruleName).orElse("?");
                if (refuse) {
                    result = relabel(result, Action.BLOCK, "infected: " + signature + " in " + where + "; mail refused with 554");
                } else {
                    result = relabel(result, Action.NEUTRALISE, "infected: " + signature + " in " + where
                            + "; attachment replaced by the notice, mail delivered");
                    notices.put(part.entity(), MailNotice.text(part.filename(), signature, settings.brand(), settings.contact(), now));
                }
            }
            found.addAll(events.of(request, result, false));
        }
        if (unscannedBlock) {
            return Reply.of(451, "4.7.0", "The mail could not be scanned for viruses now; try again later");
        }
        if (refuse) {
            sink.publish(found);
            return Reply.of(554, "5.7.1", "Message refused: a virus was found in an attachment");
        }
        Reply delivered = deliver(file, notices, now);
        if (delivered.positive()) {
            sink.publish(found);
            return Reply.of(250, "2.0.0", notices.isEmpty() ? "Message accepted for delivery"
                    : "Message accepted for delivery; an infected attachment was replaced by a notice");
        }
        if (delivered.permanent()) {
            sink.publish(found);
        }
        return delivered;
    }

    /** The engine results with the enforcing verdict as the intake enforced it, for the events. */
    private static PipelineResult relabel(PipelineResult result, Action action, String note) {
        List<EngineResult> list = new ArrayList<>();
        for (EngineResult e : result.results()) {
            Verdict v = e.verdict();
            if (v.intervenes() && v.finding().isPresent() && !v.finding().get().evidence().equals(Evidence.UNSCANNED)) {
                Verdict enforced = (action == Action.BLOCK ? Verdict.block(v.finding().get()) : Verdict.neutralise(v.finding().get()))
                        .withNote(note);
                list.add(new EngineResult(e.engine(), e.outcome(), enforced, e.error(), e.elapsed()));
            } else {
                list.add(e);
            }
        }
        return new PipelineResult(result.verdict(), list);
    }

    /**
     * Hands the mail to the next hop: on the transaction opened at RCPT, or, when that one went
     * away meanwhile (a long DATA can outlast the hop's patience), once more on a new connection
     * with the envelope replayed. The hop had not said 250, so sending again duplicates nothing.
     */
    private Reply deliver(Path file, Map<Integer, String> notices, ZonedDateTime now) {
        String received = "Received: from " + helo + " ([" + client.getHostAddress() + "])\r\n\tby " + settings.hostname()
                + " (Omamori) with " + (tls ? "ESMTPS" : "ESMTP") + ";\r\n\t" + now.format(RFC5322) + "\r\n";
        NextHop.Body body = outStream -> {
            outStream.write(received.getBytes(StandardCharsets.US_ASCII));
            try (InputStream mailIn = Files.newInputStream(file)) {
                if (notices.isEmpty()) {
                    mailIn.transferTo(outStream);
                } else {
                    MailWriter.rewrite(new java.io.BufferedInputStream(mailIn, CHUNK), settings, notices, outStream);
                }
            }
        };
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (hop == null) {
                    Reply replayed = reopen();
                    if (!replayed.positive()) {
                        return replayed;
                    }
                }
                Reply r = hop.data(body);
                hop.quit();
                closeHop();
                return r;
            } catch (IOException e) {
                LOG.warn("next hop {} failed during DATA (attempt {}): {}", settings.nextHop(), attempt + 1, e.getMessage());
                closeHop();
            }
        }
        return Reply.of(451, "4.4.2", "The receiving server went away; try again later");
    }

    /** A transaction with the next hop for this mail's sender; the hop's answer to MAIL. */
    private Reply open() throws IOException {
        hop = NextHop.open(nextHopAddress, settings.hostname(), settings.nextHopTimeout());
        return hop.mail(mail);
    }

    /** A new transaction with the next hop for the same envelope; any refusal now defers the mail. */
    private Reply reopen() throws IOException {
        hop = NextHop.open(nextHopAddress, settings.hostname(), settings.nextHopTimeout());
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

    /** One leaf part through the pipeline's antivirus, chunk by chunk as it is decoded. */
    private PipelineResult inspect(InspectionRequest request, InputStream decoded) throws IOException {
        byte[] buffer = new byte[CHUNK];
        try (StreamingInspection inspection = pipeline.open(request)) {
            int n;
            while ((n = decoded.read(buffer)) > 0) {
                inspection.body(Direction.REQUEST, ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer());
            }
            return inspection.endOfBody(Direction.REQUEST);
        }
    }

    private InspectionRequest request() {
        InetAddress destination = nextHopAddress.getAddress() != null ? nextHopAddress.getAddress() : InetAddress.getLoopbackAddress();
        Connection c = new Connection(new ZonePair(listener.zone(), settings.nextHop().zone()), client, clientPort,
                destination, nextHopAddress.getPort(), Optional.empty());
        return InspectionRequest.other().connection(c).method("SMTP").host(mail.from().domain())
                .functions(Set.of(SecurityFunction.ANTIVIRUS)).build();
    }

    private void startTls() throws IOException {
        SSLSocket ssl = (SSLSocket) settings.tls().orElseThrow().getSocketFactory()
                .createSocket(socket, client.getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(supported(ssl.getSupportedProtocols()));
        ssl.startHandshake();
        socket = ssl;
        socket.setSoTimeout((int) settings.idleTimeout().toMillis());
        in.switchTo(ssl.getInputStream());
        out = new BufferedOutputStream(ssl.getOutputStream());
        tls = true;
        helo = null; // RFC 3207: the client starts over with EHLO
        endTransaction();
    }

    private static String[] supported(String[] available) {
        return java.util.Arrays.stream(available).filter(p -> p.equals("TLSv1.3") || p.equals("TLSv1.2")).toArray(String[]::new);
    }

    private void endTransaction() {
        mail = null;
        recipients.clear();
        closeHop();
    }

    private void closeHop() {
        if (hop != null) {
            hop.close();
            hop = null;
        }
    }

    /** Counts a bad command; past the limit, closes with 421. True when the connection must end. */
    private boolean error(int code, String status, String text) throws IOException {
        return error(Reply.of(code, status, text));
    }

    private boolean error(Reply r) throws IOException {
        reply(r);
        if (++errors >= settings.maxErrors()) {
            reply(421, "4.7.0", "Too many errors; closing");
            flush();
            return true;
        }
        if (in.pending() == 0) {
            flush();
        }
        return false;
    }

    private void reply(int code, String status, String text) throws IOException {
        reply(Reply.of(code, status, text));
    }

    private void reply(Reply r) throws IOException {
        out.write(r.bytes());
    }

    private void ascii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void flush() throws IOException {
        out.flush();
    }

    private void quietly(int code, String status, String text) {
        try {
            reply(code, status, text);
            flush();
        } catch (IOException e) {
            // gone
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
