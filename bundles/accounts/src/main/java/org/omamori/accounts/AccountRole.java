package org.omamori.accounts;

/** Who an account belongs to and so which tenants it may see (docs/accounts.md, "Roles and scopes"). */
public enum AccountRole {
    /** A customer's user: that customer's data only. */
    CUSTOMER_USER,
    /** A reseller's staff: the reseller's customers; may add customer accounts and reset their two-step verification. */
    RESELLER_STAFF,
    /** The service operator: every tenant, resellers, announcements, faults. */
    OPERATOR
}
