package org.omamori.store;

import java.time.Instant;

/** A customer (お客様) of a reseller. */
public record Customer(CustomerId id, ResellerId reseller, String name, Instant createdAt) {
}
