package org.omamori.notify;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import javax.net.ssl.SSLContext;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.omamori.api.config.PemTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Sends over SMTP with Jakarta Mail (Eclipse Angus). Japanese is encoded so every mail reader
 * shows it: the subject and the sender's name as RFC 2047 encoded-words in UTF-8, the body as
 * {@code text/plain; charset=UTF-8} in base64. The Message-ID is
 * {@code <entry-id@messageIdDomain>}: the same for every attempt of one outbox entry.
 *
 * <p>Failures: a 4xx reply, no connection, a timeout, a failed login or a missing STARTTLS are
 * {@link SendResult.Retry} (the mail is fine; the server or our settings are not, for now); a 5xx
 * reply to the mail or to every recipient is {@link SendResult.Refused}.
 */
public final class SmtpTransport implements MailTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpTransport.class);

    private final SmtpSettings settings;
    private final Session session;

    public SmtpTransport(SmtpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.session = Session.getInstance(properties(settings));
    }

    static Properties properties(SmtpSettings s) {
        var p = new Properties();
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", s.host());
        p.setProperty("mail.smtp.port", Integer.toString(s.port()));
        String ms = Long.toString(s.timeout().toMillis());
        p.setProperty("mail.smtp.connectiontimeout", ms);
        p.setProperty("mail.smtp.timeout", ms);
        p.setProperty("mail.smtp.writetimeout", ms);
        p.setProperty("mail.smtp.auth", Boolean.toString(s.user().isPresent()));
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(s.starttls() != SmtpSettings.Starttls.OFF));
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(s.starttls() == SmtpSettings.Starttls.REQUIRED));
        p.setProperty("mail.smtp.ssl.checkserveridentity", Boolean.toString(!s.trustAll()));
        if (s.trustAll()) {
            p.setProperty("mail.smtp.ssl.trust", "*");
        } else if (s.trusted().isPresent()) {
            // An object, not a string: Jakarta Mail layers STARTTLS with this factory.
            p.put("mail.smtp.ssl.socketFactory", trustingOnly(s.trusted().get()).getSocketFactory());
        }
        // Accept the good recipients when one of the (at most three) is refused.
        p.setProperty("mail.smtp.sendpartial", "true");
        // The envelope sender stays the node's when an edition's mail shows its own From: bounces come
        // back to the operator, and the relay sees the address it is set up for.
        p.setProperty("mail.smtp.from", s.from());
        p.setProperty("mail.mime.charset", "UTF-8");
        return p;
    }

    /**
     * A TLS context trusting exactly the certificates in a PEM file (the relay's, or its private
     * CA's). Read once, when the transport is made: a missing or empty file is a configuration
     * error naming the file.
     */
    static SSLContext trustingOnly(Path pem) {
        try {
            return PemTrust.context(pem, "TLS");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("smtp trusted certificates " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The mail as it goes on the wire. */
    MimeMessage message(OutboxEntry entry) throws MessagingException {
        String messageId = "<" + entry.id() + "@" + settings.messageIdDomain() + ">";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        try {
            InternetAddress node = settings.fromName().isEmpty() ? new InternetAddress(settings.from())
                    : new InternetAddress(settings.from(), settings.fromName(), StandardCharsets.UTF_8.name());
            Optional<Sender> edition = entry.mail().from();
            if (edition.isPresent()) {
                m.setFrom(new InternetAddress(edition.get().address(), edition.get().name(), StandardCharsets.UTF_8.name()));
                if (!edition.get().address().equalsIgnoreCase(settings.from())) {
                    m.setSender(node); // RFC 5322 Sender: the node sends on the edition's behalf
                }
            } else {
                m.setFrom(node);
            }
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e); // UTF-8 is always there
        }
        List<Address> to = new ArrayList<>();
        for (String a : entry.mail().to().addresses()) {
            to.add(new InternetAddress(a, true));
        }
        m.setRecipients(Message.RecipientType.TO, to.toArray(Address[]::new));
        m.setSubject(entry.mail().subject(), "UTF-8");
        m.setText(entry.mail().body().replace("\r\n", "\n"), "UTF-8", "plain");
        m.setSentDate(Date.from(entry.created()));
        if (entry.mail().inReplyTo().isPresent()) {
            // A desk answer, written by a person, in the customer's thread.
            m.setHeader("In-Reply-To", entry.mail().inReplyTo().get());
            m.setHeader("References", entry.mail().inReplyTo().get());
        } else {
            m.setHeader("Auto-Submitted", "auto-generated");
        }
        m.saveChanges();
        m.setHeader("Content-Transfer-Encoding", "base64");
        return m;
    }

    @Override
    public SendResult send(OutboxEntry entry) {
        MimeMessage m;
        try {
            m = message(entry);
        } catch (MessagingException e) {
            // An address the edge let through but Jakarta Mail cannot write: sending again will not help.
            return new SendResult.Refused("cannot build the mail: " + e.getMessage());
        }
        try (Transport t = session.getTransport("smtp")) {
            t.connect(settings.host(), settings.port(), settings.user().orElse(null), settings.password().orElse(null));
            t.sendMessage(m, m.getAllRecipients());
            LOG.info("mail {} sent ({} recipients)", entry.id(), entry.mail().to().addresses().size());
            return new SendResult.Sent(List.of());
        } catch (SendFailedException e) {
            return partial(entry, e);
        } catch (MessagingException e) {
            SendResult r = classify(e);
            LOG.warn("mail {} not sent, {}: {}", entry.id(), r instanceof SendResult.Retry ? "will retry" : "refused", reason(r));
            return r;
        }
    }

    private SendResult partial(OutboxEntry entry, SendFailedException e) {
        Address[] sent = e.getValidSentAddresses();
        if (sent != null && sent.length > 0) {
            List<String> rejected = e.getInvalidAddresses() == null ? List.of()
                    : Arrays.stream(e.getInvalidAddresses()).map(Address::toString).toList();
            LOG.warn("mail {} sent to {} recipients, {} refused", entry.id(), sent.length, rejected.size());
            return new SendResult.Sent(rejected);
        }
        SendResult r = classify(e);
        LOG.warn("mail {} not sent, {}: {}", entry.id(), r instanceof SendResult.Retry ? "will retry" : "refused", reason(r));
        return r;
    }

    private static String reason(SendResult r) {
        return switch (r) {
            case SendResult.Retry x -> x.reason();
            case SendResult.Refused x -> x.reason();
            case SendResult.Sent x -> "sent";
        };
    }

    /** Retry or refused, by the SMTP reply code found in the chain, or by what kind of failure it is. */
    static SendResult classify(MessagingException e) {
        Throwable coded = replyCoded(e);
        int code = coded == null ? -1 : code(coded);
        String what = coded == null ? describe(e) : String.valueOf(coded.getMessage()).strip();
        if (code >= 500) {
            return new SendResult.Refused("SMTP " + code + ": " + what);
        }
        if (code >= 400) {
            return new SendResult.Retry("SMTP " + code + ": " + what);
        }
        if (e instanceof AuthenticationFailedException) {
            return new SendResult.Retry("SMTP login failed (check the configured user and password): " + what);
        }
        return new SendResult.Retry(what);
    }

    /** The exception in the chain that carries the reply that decides: a 4xx if any, else the highest code. */
    private static Throwable replyCoded(Throwable e) {
        Throwable best = null;
        for (Throwable t = e; t != null; t = next(t)) {
            int c = code(t);
            // A 4xx anywhere makes the whole retryable: some recipients may go through next time.
            if (c >= 400 && c < 500) {
                return t;
            }
            if (c > 0 && (best == null || c > code(best))) {
                best = t;
            }
        }
        return best;
    }

    private static int code(Throwable t) {
        return switch (t) {
            case SMTPSendFailedException s -> s.getReturnCode();
            case SMTPAddressFailedException s -> s.getReturnCode();
            case SMTPSenderFailedException s -> s.getReturnCode();
            default -> -1;
        };
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
                return e.getMessage() + " (" + t + ")";
            }
        }
        return String.valueOf(e.getMessage()).strip();
    }
}
