package org.omamori.store;

import java.util.Objects;
import java.util.Optional;

import org.omamori.notify.Recipients;

/**
 * Whom a customer's mail goes to, and in whose brand: the customer, its reseller's edition (empty:
 * the neutral default, docs/edition-sdk.md) and its recipients.
 */
public record Addressee(CustomerId customer, Optional<String> edition, Recipients to) {

    public Addressee {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(to, "to");
    }
}
