package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.CUSTOMERS;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.omamori.store.TenantScope;

/** The one place a tenant scope becomes SQL: every read's WHERE goes through here. */
final class Scopes {

    private Scopes() {
    }

    /** Rows whose customer column is a customer the scope may see. */
    static Condition customers(Field<Long> customerId, TenantScope scope) {
        return switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> customerId.in(
                    DSL.select(CUSTOMERS.ID).from(CUSTOMERS).where(CUSTOMERS.RESELLER_ID.eq(r.id().value())));
            case TenantScope.Customer c -> customerId.eq(c.id().value());
        };
    }
}
