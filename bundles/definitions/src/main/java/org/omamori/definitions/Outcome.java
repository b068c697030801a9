package org.omamori.definitions;

import org.omamori.api.text.Printable;

/** What became of one package. Every outcome but {@link Current} is reported as an event. */
public sealed interface Outcome {

    /** Verified and put in force. */
    record Applied(Kind kind, PackageVersion version) implements Outcome {
    }

    /** This version is already in force: nothing to do. */
    record Current(Kind kind, PackageVersion version) implements Outcome {
    }

    /** Not installed: the package is bad (signature, rollback, malformed, too large). */
    record Rejected(Refused.Reason reason, String why) implements Outcome {
        public Rejected {
            why = Printable.of(why); // may quote entry names or values from the package
        }
    }

    /** A good package that could not be put in force (disk, engine configuration, clamd); the previous one stays. */
    record Failed(Kind kind, PackageVersion version, String why) implements Outcome {
        public Failed {
            why = Printable.of(why);
        }
    }
}
