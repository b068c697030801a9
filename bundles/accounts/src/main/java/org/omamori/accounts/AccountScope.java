package org.omamori.accounts;

/**
 * Whose data an account may see; the store turns it into its tenant scope. Ids are the store's
 * customer and reseller ids (this bundle does not depend on the store).
 */
public sealed interface AccountScope {

    /** A customer user's company. */
    record OfCustomer(long customerId) implements AccountScope {
    }

    /** A reseller staff member's reseller, and so all its customers. */
    record OfReseller(long resellerId) implements AccountScope {
    }

    /** The operator: everything. */
    record Everything() implements AccountScope {
    }

    /** The role that goes with this scope. */
    default AccountRole role() {
        return switch (this) {
            case OfCustomer c -> AccountRole.CUSTOMER_USER;
            case OfReseller r -> AccountRole.RESELLER_STAFF;
            case Everything e -> AccountRole.OPERATOR;
        };
    }
}
