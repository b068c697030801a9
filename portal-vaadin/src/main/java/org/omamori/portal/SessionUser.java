package org.omamori.portal;

import java.io.Serializable;
import java.util.Optional;

import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountRole;
import org.omamori.accounts.AccountScope;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.TenantScope;

/** Who is signed in, kept in the HTTP session; never holds a secret. */
public record SessionUser(long accountId, String loginId, String displayName, AccountRole role, long tenantId)
        implements Serializable {

    public static SessionUser of(org.omamori.accounts.Account a) {
        long tenant = switch (a.scope()) {
            case AccountScope.OfCustomer c -> c.customerId();
            case AccountScope.OfReseller r -> r.resellerId();
            case AccountScope.Everything e -> 0;
        };
        return new SessionUser(a.id().value(), a.loginId(), a.displayName(), a.role(), tenant);
    }

    public AccountId account() {
        return new AccountId(accountId);
    }

    /** What every store read of this user is limited to. */
    public TenantScope scope() {
        return switch (role) {
            case CUSTOMER_USER -> TenantScope.customer(new CustomerId(tenantId));
            case RESELLER_STAFF -> TenantScope.reseller(new ResellerId(tenantId));
            case OPERATOR -> TenantScope.operator();
        };
    }

    /** The user's own company, for a customer user. */
    public Optional<CustomerId> ownCustomer() {
        return role == AccountRole.CUSTOMER_USER ? Optional.of(new CustomerId(tenantId)) : Optional.empty();
    }

    public boolean staff() {
        return role != AccountRole.CUSTOMER_USER;
    }
}
