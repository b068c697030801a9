package org.omamori.events;

/** What the appliance did, as the event reports it. */
public enum Result {
    PASS("pass"),
    BLOCK("block"),
    NEUTRALISE("neutralise"),
    /** Let through without inspection: scanner down, over the scan limit, engine failed. */
    NOT_SCANNED("not-scanned");

    private final String wire;

    Result(String wire) {
        this.wire = wire;
    }

    /** The name in JSON. */
    public String wire() {
        return wire;
    }

    public static Result fromWire(String text) {
        for (Result r : values()) {
            if (r.wire.equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown result: " + text);
    }
}
