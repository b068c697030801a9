package org.omamori.backoffice.billing;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.edition.Terms.Tax;

/**
 * What a contract owes for one billing month, before it becomes an invoice (docs/billing.md "Bills").
 *
 * @param lines what is billed, each as the price list states it
 * @param due   the day the terms fix for payment, if they fix one
 */
public record Bill(List<Line> lines, Optional<LocalDate> due) {

    /**
     * One billed item as the price list states it: {@code listed} yen, tax included or not per {@code tax}.
     */
    public record Line(String item, long listed, Tax tax) {
        public Line {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(tax, "tax");
            if (listed < 0) {
                throw new IllegalArgumentException("a billed amount is not negative: " + listed);
            }
        }
    }

    public Bill {
        lines = List.copyOf(lines);
        Objects.requireNonNull(due, "due");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a bill has at least one line");
        }
    }
}
