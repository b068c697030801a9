package org.omamori.smtp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.omamori.api.pipeline.Pipeline;
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

    private final SmtpSettings settings;
    private Socket socket;
    private SmtpInput in;
    private OutputStream out;
    private final InetAddress client;
    private final int clientPort;

    private String helo;
    private boolean extended;
    private boolean tls;
    private int errors;
    // The transaction
    private Command.Mail mail;
    private final List<MailAddress> recipients = new ArrayList<>();
    private final HopLink hop;
    private final DataStep dataStep;
    private final MailQueue queue;
    /** The next hop could not be reached for this mail: its recipients are taken for the queue. */
    private boolean hopDown;

    SmtpSession(Socket socket, SmtpSettings settings, SmtpListener listener, InetSocketAddress nextHopAddress, HopPool hops,
                Pipeline pipeline, EventFactory events, EventSink sink, MailQueue queue) {
        this.queue = queue;
        this.socket = socket;
        this.settings = settings;
        this.client = socket.getInetAddress();
        this.clientPort = socket.getPort();
        this.hop = new HopLink(settings, nextHopAddress, hops);
        this.dataStep = new DataStep(settings, listener, nextHopAddress, pipeline, events, sink, queue);
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
        if (hopDown) {
            queued(to);
            return;
        }
        if (!hop.isOpen()) {
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
                if (queue != null) {
                    hopDown = true; // this mail goes to the queue; the hop is not asked again for it
                    queued(to);
                } else {
                    reply(451, "4.4.1", "The receiving server is not reachable now; try again later");
                }
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

    /** DATA: the data step answers; false closes. */
    private boolean data() throws IOException {
        reply(354, "", "End data with <CR><LF>.<CR><LF>");
        flush();
        try {
            DataStep.Answer answer = dataStep.receive(in, new Envelope(helo, client, clientPort, tls, mail, recipients), hop, hopDown);
            reply(answer.reply());
            return !answer.close();
        } finally {
            endTransaction();
        }
    }

    /** A transaction with the next hop for this mail's sender; the hop's answer to MAIL. */
    private Reply open() throws IOException {
        return hop.open(mail);
    }

    /** A new transaction with the next hop for the same envelope; any refusal now defers the mail. */
    private Reply reopen() throws IOException {
        return hop.reopen(mail, recipients);
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

    /** A recipient taken for the queue (the relay check passed): the hop checks it when it is back; a refusal then is returned by a notification. */
    private void queued(MailAddress to) throws IOException {
        if (!queue.hasRoom()) {
            reply(451, "4.3.1", "The queue for the receiving server is full; try again later");
            return;
        }
        recipients.add(to);
        reply(250, "2.1.5", "Recipient OK; the receiving server is not reachable now, the mail will be queued");
    }

    private void endTransaction() {
        hopDown = false;
        mail = null;
        recipients.clear();
        closeHop();
    }

    private void closeHop() {
        hop.close();
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
}
