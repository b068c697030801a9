package org.omamori.backoffice.billing;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.edition.Terms;

/**
 * One amount a quote asks for.
 *
 * @param item   what it is for, in Japanese (an invoice line)
 * @param amount net and consumption tax, whole yen
 * @param due    the day it must be paid by, when the terms say
 * @param note   how the amount or date came about, in Japanese (may be empty)
 */
public record Charge(String item, Amount amount, Optional<LocalDate> due, String note) {

    /** Whole yen: net and the consumption tax on it. */
    public record Amount(long net, long tax) {

        public Amount {
            if (net < 0 || tax < 0) {
                throw new IllegalArgumentException("an amount is not negative: " + net + " + " + tax);
            }
        }

        public long gross() {
            return net + tax;
        }

        /**
         * A price as the list states it, split into net and consumption tax, both whole yen: tax is
         * rounded down (docs/billing.md "Rounding"), from the gross when the list includes it.
         */
        public static Amount listed(Terms.Tax tax, long listed) {
            if (tax.included()) {
                long t = Math.floorDiv(listed * tax.ratePercent(), 100 + tax.ratePercent());
                return new Amount(listed - t, t);
            }
            return new Amount(listed, Math.floorDiv(listed * tax.ratePercent(), 100));
        }
    }

    public Charge {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(due, "due");
        Objects.requireNonNull(note, "note");
    }
}
