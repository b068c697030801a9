package org.omamori.portal.views;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.HasComponents;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.QueryParameters;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.TenantScope;

/**
 * Whose pages a request looks at. A customer user sees his own company only (any {@code c}
 * parameter is ignored); reseller staff and operators look at one of the customers their scope
 * holds, named by {@code ?c=<id>}, read-only. An id outside the scope is "not found", exactly like
 * an id that does not exist. Staff looking at a customer is audited (CUSTOMER_VIEWED) once per
 * session and customer.
 */
final class Viewed {

    private Viewed() {
    }

    /** Who is on a customer's page, and whose page it is. */
    record Entered(SessionUser user, CustomerId customer) {
    }

    /**
     * The start of a customer's page: clears {@code page} and gives the signed-in user and the
     * customer shown; empty when no one is signed in (the layout sends them to sign in) or when the
     * user may not see the customer asked for (the page then says "not found").
     */
    static Optional<Entered> enter(HasComponents page, BeforeEvent event) {
        page.removeAll();
        SessionUser user = PortalSession.user().orElse(null);
        if (user == null) {
            return Optional.empty();
        }
        Optional<CustomerId> c = customer(user, event);
        if (c.isEmpty()) {
            page.add(new NotFound());
            return Optional.empty();
        }
        return Optional.of(new Entered(user, c.get()));
    }

    static Optional<CustomerId> customer(SessionUser user, BeforeEvent event) {
        if (user.ownCustomer().isPresent()) {
            return user.ownCustomer();
        }
        List<String> c = event.getLocation().getQueryParameters().getParameters().getOrDefault("c", List.of());
        if (c.size() != 1 || !c.get(0).matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        long id = Long.parseLong(c.get(0));
        // One scoped row, not the scope's whole customer list (an operator's is every customer).
        CustomerId asked = new CustomerId(id);
        Optional<CustomerId> found = Portal.get().store().tenants().profile(user.scope(), asked).map(p -> asked);
        found.ifPresent(customer -> PortalSession.viewing(customer, () -> Portal.get().accounts()
                .auditCustomerView(user.account(), customer, Portal.get().clock().instant(), PortalSession.client())));
        return found;
    }

    /**
     * The appliances of a customer {@link #customer} gave, read in that customer's own scope: the
     * same rows as the user's scope filtered to him, without reading a reseller's (or, for an
     * operator, every) appliance on each page.
     */
    static List<ApplianceStatus> appliances(CustomerId viewed, Instant now) {
        return Portal.get().store().fleet().status(TenantScope.customer(viewed), now);
    }

    /** The query string that keeps staff on the same customer when they follow a link. */
    static QueryParameters keep(SessionUser user, CustomerId customer) {
        return user.ownCustomer().isPresent() ? QueryParameters.empty()
                : QueryParameters.simple(java.util.Map.of("c", Long.toString(customer.value())));
    }

    static String suffix(SessionUser user, CustomerId customer) {
        return user.ownCustomer().isPresent() ? "" : "?c=" + customer.value();
    }
}
