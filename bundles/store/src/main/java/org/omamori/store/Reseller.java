package org.omamori.store;

import java.time.Instant;

/** A reseller (再販事業者). */
public record Reseller(ResellerId id, String name, Instant createdAt) {
}
