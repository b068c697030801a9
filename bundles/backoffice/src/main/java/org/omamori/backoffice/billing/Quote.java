package org.omamori.backoffice.billing;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the terms make of a request: the dates and the charges of the first invoice.
 *
 * @param edition        the edition's id
 * @param start          the service start (利用開始日 / 提供開始日)
 * @param billingFrom    the first day that is billed
 * @param firstPeriodEnd the last day of the first contract period, where the terms have one
 * @param freeUntil      the last day of the free period (無償期間), where the terms have one (it begins at the start)
 * @param charges        the charges of the first invoice
 * @param notes          further dates and rules that follow from the terms, in Japanese
 */
public record Quote(String edition, LocalDate start, LocalDate billingFrom, Optional<LocalDate> firstPeriodEnd,
                    Optional<LocalDate> freeUntil, List<Charge> charges, List<String> notes) {

    public Quote {
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(billingFrom, "billingFrom");
        charges = List.copyOf(charges);
        notes = List.copyOf(notes);
    }

    /** The charges' net, tax and gross summed. */
    public Charge.Amount total() {
        long net = 0;
        long tax = 0;
        for (Charge c : charges) {
            net += c.amount().net();
            tax += c.amount().tax();
        }
        return new Charge.Amount(net, tax);
    }
}
