package org.omamori.engine.ips.rules;

/** A rule that does not parse: says where and why. The only exception the parser throws. */
public final class RuleParseException extends Exception {

    private final String file;
    private final int line;
    private final String reason;

    public RuleParseException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
