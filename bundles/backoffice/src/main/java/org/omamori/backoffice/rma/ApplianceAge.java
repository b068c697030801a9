package org.omamori.backoffice.rma;

import java.time.LocalDate;
import java.util.Objects;

import org.omamori.api.edition.Edition;

/**
 * Whether an appliance is old enough to be replaced (seed 000 §3.1; the edition's
 * {@code replaceAfterYears}, 7 everywhere so far). "Past 7 years from manufacture" counts as the law
 * counts periods (民法 §140, §143): the day of manufacture is not counted, so the 7 years end at the end
 * of the same day 7 years later, and the appliance is flagged from the day after. Manufactured on
 * 2019-12-05: not yet on 2026-12-05, flagged on 2026-12-06. docs/rma.md "Aging".
 */
public final class ApplianceAge {

    private ApplianceAge() {
    }

    /** The first day an appliance manufactured on {@code manufactured} is flagged for replacement. */
    public static LocalDate flaggedFrom(LocalDate manufactured, int replaceAfterYears) {
        Objects.requireNonNull(manufactured, "manufactured");
        if (replaceAfterYears < 1) {
            throw new IllegalArgumentException("replaceAfterYears is 1 or more: " + replaceAfterYears);
        }
        return manufactured.plusYears(replaceAfterYears).plusDays(1);
    }

    /** The first day under the edition's support terms. */
    public static LocalDate flaggedFrom(Edition edition, LocalDate manufactured) {
        return flaggedFrom(manufactured, edition.support().replaceAfterYears());
    }

    /** True when, on {@code day}, the appliance is past the edition's replacement age. */
    public static boolean due(Edition edition, LocalDate manufactured, LocalDate day) {
        return !day.isBefore(flaggedFrom(edition, manufactured));
    }
}
