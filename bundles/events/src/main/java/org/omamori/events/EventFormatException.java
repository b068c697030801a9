package org.omamori.events;

import java.util.Optional;

/**
 * An event document that is not a valid event; the message says which field and why,
 * {@link #problem()} what kind of fault it is (the cloud answers each differently).
 */
public final class EventFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 2L;

    /** What is wrong with the document. */
    public enum Problem {
        /** A value of the wrong JSON type (a string where an integer is due, null, an array...). */
        WRONG_TYPE,
        /** A missing, unknown or repeated field, or a value of the right type that is refused. */
        INVALID_VALUE,
        /** A text value holding a control character (C0, DEL, C1). */
        CONTROL_CHARACTER
    }

    private final Problem problem;
    private final String field;

    public EventFormatException(String message) {
        this(Problem.INVALID_VALUE, null, message);
    }

    /** @param field the offending field, or null when there is none */
    public EventFormatException(Problem problem, String field, String message) {
        super(message);
        this.problem = problem;
        this.field = field;
    }

    public Problem problem() {
        return problem;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
