package org.omamori.store;

import java.util.Objects;

/**
 * Whose rows a read may see (docs/portal.md "Roles"): the operator sees every row, a reseller the rows of
 * its customers, a customer its own. Every read method of the store takes one.
 */
public sealed interface TenantScope {

    /** The service operator: every tenant. */
    record Operator() implements TenantScope {
    }

    /** One reseller and its customers. */
    record Reseller(ResellerId id) implements TenantScope {
        public Reseller {
            Objects.requireNonNull(id, "id");
        }
    }

    /** One customer. */
    record Customer(CustomerId id) implements TenantScope {
        public Customer {
            Objects.requireNonNull(id, "id");
        }
    }

    static TenantScope operator() {
        return new Operator();
    }

    static TenantScope reseller(ResellerId id) {
        return new Reseller(id);
    }

    static TenantScope customer(CustomerId id) {
        return new Customer(id);
    }
}
