package org.omamori.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses one SMTP command line (without its CRLF) strictly. Every byte below 0x20 and DEL is
 * refused, so a CR or LF inside an address can never split a command on its way to the next hop
 * (command injection); bytes above 0x7f must be valid UTF-8. Nothing of the line is echoed in
 * the replies. Paths must be in angle brackets; only the parameters the intake advertises are
 * taken (SIZE, BODY=7BIT/8BITMIME, SMTPUTF8). Fuzzed by {@code CommandFuzzTest}.
 */
public final class CommandParser {

    /** Longest command line, without CRLF (RFC 5321 §4.5.3.1.4 says 512 with CRLF; extensions add to it). */
    public static final int MAX_LINE = 1000;

    private CommandParser() {
    }

    public static Command parse(byte[] line) throws CommandException {
        return parse(line, 0, line.length);
    }

    public static Command parse(byte[] line, int offset, int length) throws CommandException {
        if (length > MAX_LINE) {
            throw new CommandException(500, "5.5.2", "Line too long");
        }
        for (int i = offset; i < offset + length; i++) {
            int b = line[i] & 0xff;
            if (b < 0x20 || b == 0x7f) {
                throw new CommandException(500, "5.5.2", "Control characters are not accepted in commands");
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandException(500, "5.5.2", "Commands must be ASCII or UTF-8");
        }
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space + 1);
        return switch (verb) {
            case "HELO", "EHLO" -> hello(verb.equals("EHLO"), rest);
            case "MAIL" -> mail(rest);
            case "RCPT" -> rcpt(rest);
            case "DATA" -> noArgs(rest, new Command.Data());
            case "RSET" -> noArgs(rest, new Command.Rset());
            case "NOOP" -> new Command.Noop(); // NOOP may carry a string, which is ignored
            case "QUIT" -> noArgs(rest, new Command.Quit());
            case "STARTTLS" -> noArgs(rest, new Command.StartTls());
            case "VRFY", "EXPN", "HELP" -> new Command.Other(verb);
            case "" -> throw new CommandException(500, "5.5.2", "Empty command");
            default -> throw new CommandException(500, "5.5.1", "Command not recognised");
        };
    }

    private static Command noArgs(String rest, Command command) throws CommandException {
        if (!rest.isBlank()) {
            throw new CommandException(501, "5.5.4", "No parameters allowed");
        }
        return command;
    }

    private static Command hello(boolean extended, String rest) throws CommandException {
        String name = rest.strip();
        if (name.isEmpty()) {
            throw new CommandException(501, "5.5.4", "A name is needed");
        }
        int space = name.indexOf(' ');
        if (space > 0) {
            name = name.substring(0, space); // some clients add text after the name
        }
        if (name.length() > 255) {
            throw new CommandException(501, "5.5.4", "Name too long");
        }
        return new Command.Hello(extended, name);
    }

    private static Command mail(String rest) throws CommandException {
        String after = prefix(rest, "FROM:");
        Path p = path(after);
        long size = -1;
        boolean eightBit = false;
        boolean utf8 = false;
        for (String param : params(p.params)) {
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            switch (key) {
                case "SIZE" -> {
                    if (value == null || !value.matches("[0-9]{1,18}") || size >= 0) {
                        throw new CommandException(501, "5.5.4", "Bad SIZE parameter");
                    }
                    size = Long.parseLong(value);
                }
                case "BODY" -> {
                    if (value == null) {
                        throw new CommandException(501, "5.5.4", "Bad BODY parameter");
                    }
                    switch (value.toUpperCase(Locale.ROOT)) {
                        case "7BIT" -> eightBit = false;
                        case "8BITMIME" -> eightBit = true;
                        default -> throw new CommandException(501, "5.5.4", "BODY must be 7BIT or 8BITMIME");
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw new CommandException(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                default -> throw new CommandException(555, "5.5.4", "Unsupported MAIL parameter");
            }
        }
        MailAddress from = MailAddress.parse(p.inside);
        return new Command.Mail(from, size, eightBit, utf8);
    }

    private static Command rcpt(String rest) throws CommandException {
        String after = prefix(rest, "TO:");
        Path p = path(after);
        if (!p.params.isBlank()) {
            throw new CommandException(555, "5.5.4", "Unsupported RCPT parameter");
        }
        if (p.inside.isEmpty()) {
            throw new CommandException(501, "5.1.3", "A recipient is needed");
        }
        return new Command.Rcpt(MailAddress.parse(p.inside));
    }

    private static String prefix(String rest, String want) throws CommandException {
        if (rest.length() < want.length() || !rest.substring(0, want.length()).equalsIgnoreCase(want)) {
            throw new CommandException(501, "5.5.4", "Syntax: " + (want.equals("TO:") ? "RCPT TO:<address>" : "MAIL FROM:<address>"));
        }
        return rest.substring(want.length()).stripLeading(); // "FROM: <a>" is common enough to allow
    }

    private record Path(String inside, String params) { }

    private static Path path(String text) throws CommandException {
        if (!text.startsWith("<")) {
            throw new CommandException(501, "5.5.4", "The address must be in angle brackets");
        }
        int close = -1;
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                close = i;
                break;
            } else if ((c == '<' || c == ' ') && !quoted) {
                throw new CommandException(501, "5.5.4", "Bad address syntax");
            }
        }
        if (close < 0) {
            throw new CommandException(501, "5.5.4", "Unterminated address");
        }
        String inside = text.substring(1, close);
        if (inside.getBytes(StandardCharsets.UTF_8).length > 254) {
            throw new CommandException(501, "5.1.3", "Address too long");
        }
        String params = text.substring(close + 1);
        if (!params.isEmpty() && !params.startsWith(" ")) {
            throw new CommandException(501, "5.5.4", "Bad address syntax");
        }
        return new Path(inside, params);
    }

    private static String[] params(String text) {
        String t = text.strip();
        return t.isEmpty() ? new String[0] : t.split(" +");
    }
}
