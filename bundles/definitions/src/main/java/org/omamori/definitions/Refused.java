package org.omamori.definitions;

/** A package that is not installed, and why. The message says what was wrong and where. */
public final class Refused extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a package is refused; the id goes into events and logs. */
    public enum Reason {
        /** The signature is not the operator key's over these exact bytes. */
        BAD_SIGNATURE("bad-signature"),
        /** Older than the version installed: a replayed package. */
        ROLLBACK("rollback"),
        /** Not a package of our format, or its manifest and files disagree. */
        MALFORMED("malformed"),
        /** Over a size or count bound (package bytes, entries, unpacked bytes). */
        TOO_LARGE("too-large");

        private final String id;

        Reason(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Reason reason;

    public Refused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
