package org.omamori.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the SMTP command parser with any bytes as one command line. It either refuses with a
 * {@link CommandException} carrying a 4xx/5xx reply, or gives a command whose addresses hold
 * no control byte, no CR or LF, no routing character in the local part, and which parses again
 * to the same address when written as the intake writes it to the next hop. Anything else thrown
 * is a finding. Seeds: {@code src/test/resources/org/omamori/smtp/CommandFuzzTestInputs/command/}.
 */
class CommandFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void command(byte[] line) {
        Command c;
        try {
            c = CommandParser.parse(line);
        } catch (CommandException e) {
            if (e.reply().code() < 400) {
                throw new AssertionError("a refusal with a positive code: " + e.reply());
            }
            return;
        }
        switch (c) {
            case Command.Mail m -> check(m.from(), "MAIL FROM:");
            case Command.Rcpt r -> {
                if (r.to().isNull()) {
                    throw new AssertionError("null recipient");
                }
                check(r.to(), "RCPT TO:");
            }
            case Command.Hello h -> clean(h.name());
            default -> { }
        }
    }

    private static void check(MailAddress a, String verb) {
        clean(a.local());
        clean(a.domain());
        if (!a.isNull()) {
            String local = a.local();
            if (!local.startsWith("\"") && (local.contains("%") || local.contains("!") || local.contains("@"))) {
                throw new AssertionError("routing character in " + local);
            }
        }
        try {
            Command again = CommandParser.parse((verb + a.path()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            MailAddress b = again instanceof Command.Mail m ? m.from() : ((Command.Rcpt) again).to();
            if (!b.equals(a)) {
                throw new AssertionError("written and parsed again differs: " + a + " / " + b);
            }
        } catch (CommandException e) {
            throw new AssertionError("the written address does not parse again: " + a + ": " + e.reply());
        }
    }

    private static void clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new AssertionError("control character in " + s);
            }
        }
    }
}
