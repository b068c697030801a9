package org.omamori.events;

/** Why an event exists; the spool drops access logs first and never drops threats. */
public enum Kind {
    /** Something the grading looks at: a block, a neutralisation, evidence, an unscanned item. */
    THREAT("threat"),
    /** An access-log line: a category or application seen and let through (000 §4.2). */
    ACCESS("access"),
    /** The appliance's own record, e.g. access-log events dropped from a full spool. */
    SYSTEM("system");

    private final String wire;

    Kind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Kind fromWire(String text) {
        for (Kind k : values()) {
            if (k.wire.equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind: " + text);
    }
}
