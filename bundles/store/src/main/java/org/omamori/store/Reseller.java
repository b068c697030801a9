package org.omamori.store;

import java.time.Instant;
import java.util.Optional;

/** A reseller (再販事業者) and the edition its customers get (empty: the neutral default, docs/edition-sdk.md). */
public record Reseller(ResellerId id, String name, Instant createdAt, Optional<String> edition) {
}
