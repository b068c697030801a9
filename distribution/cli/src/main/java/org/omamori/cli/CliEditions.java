package org.omamori.cli;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.edition.Editions;
import org.omamori.backoffice.edition.NeutralEdition;

/** The editions this distribution ships (on the CLI's class path), found once per run. */
final class CliEditions {

    private static Editions installed;

    private CliEditions() {
    }

    static synchronized Editions installed() {
        if (installed == null) {
            installed = Editions.onClassPath(CliEditions.class.getClassLoader());
        }
        return installed;
    }

    /** An installed edition, or the neutral default for {@code default}. @throws IllegalArgumentException for any other id */
    static Edition edition(String id) {
        if (id.equals(NeutralEdition.ID)) {
            return NeutralEdition.INSTANCE;
        }
        return installed().installed(id).map(Editions.Installed::edition)
                .orElseThrow(() -> new IllegalArgumentException("unknown edition " + id + " (./omamori editions lists them)"));
    }
}
