package org.omamori.hyperscan;

/** Hyperscan refused to compile a set of expressions. */
public final class CompileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int expressionIndex;
    private final int expressionId;
    private final String reason;

    CompileException(String message, String reason, int expressionIndex, int expressionId) {
        super(message);
        this.reason = reason;
        this.expressionIndex = expressionIndex;
        this.expressionId = expressionId;
    }

    /** The index in the list given to {@link Database#compile}, or -1 if the error is not about one expression. */
    public int expressionIndex() {
        return expressionIndex;
    }

    /** The {@link Expression#id()} of the failing expression, or -1 if the error is not about one expression. */
    public int expressionId() {
        return expressionId;
    }

    /** Hyperscan's own message, without the expression it is about. */
    public String reason() {
        return reason;
    }
}
