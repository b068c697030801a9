package org.omamori.api.engine;

/** What the appliance does with a request. Ordered from weakest to strongest. */
public enum Action {
    /** Let it through (possibly recording what was seen, as an access log). */
    PASS,
    /** Let the connection complete but replace the harmful content so it cannot be opened. */
    NEUTRALISE,
    /** Refuse the request. */
    BLOCK;

    /** The stronger of two actions: block beats neutralise beats pass. */
    public Action strongest(Action other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
