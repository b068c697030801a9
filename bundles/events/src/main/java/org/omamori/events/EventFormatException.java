package org.omamori.events;

/** An event document that is not a valid event; the message says which field and why. */
public final class EventFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public EventFormatException(String message) {
        super(message);
    }
}
