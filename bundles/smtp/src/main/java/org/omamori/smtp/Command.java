package org.omamori.smtp;

import java.util.List;

/** An SMTP command as the parser understood it. */
public sealed interface Command {

    /** HELO or EHLO with the client's name for itself (not trusted, only logged in Received). */
    record Hello(boolean extended, String name) implements Command { }

    /** MAIL FROM with its parameters. {@code size} is -1 when not declared. */
    record Mail(MailAddress from, long size, boolean eightBit, boolean utf8) implements Command { }

    record Rcpt(MailAddress to) implements Command { }

    record Data() implements Command { }

    record Rset() implements Command { }

    record Noop() implements Command { }

    record Quit() implements Command { }

    record StartTls() implements Command { }

    /** VRFY, EXPN, HELP: answered without telling anything. */
    record Other(String verb) implements Command { }

    List<String> VERBS = List.of("HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "STARTTLS", "VRFY", "EXPN", "HELP");
}
