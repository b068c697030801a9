package org.omamori.store;

import java.util.List;
import java.util.Optional;

import org.omamori.events.ApplianceId;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The tenancy for the back office and tests: resellers, their customers, the customers'
 * appliances and their activation codes. Writes are the operator's; reads take a scope.
 */
@ProviderType
public interface Tenants {

    /** A reseller of the neutral default edition. @throws IllegalArgumentException when the name is blank or taken */
    default ResellerId createReseller(String name) {
        return createReseller(name, Optional.empty());
    }

    /**
     * A reseller whose customers get {@code edition} (docs/edition-sdk.md); the edition need not be
     * installed yet (its customers get the neutral default until it is).
     *
     * @throws IllegalArgumentException when the name is blank or taken, or the edition id malformed
     */
    ResellerId createReseller(String name, Optional<String> edition);

    /** Sets the reseller's edition (empty: the neutral default). @throws IllegalArgumentException when unknown or malformed */
    void edition(ResellerId reseller, Optional<String> edition);

    /** @throws IllegalArgumentException when the name is blank or the reseller unknown */
    CustomerId createCustomer(ResellerId reseller, String name);

    /**
     * Registers an appliance for a customer and returns its one-time activation code (about 120
     * random bits; only its hash is stored, so show it now or issue another).
     *
     * @throws IllegalArgumentException when the customer is unknown or the appliance already registered
     */
    default String registerAppliance(CustomerId customer, ApplianceId appliance) {
        return registerAppliance(customer, appliance, "");
    }

    /**
     * {@link #registerAppliance(CustomerId, ApplianceId)} with where it stands, as the customer
     * names it (e.g. 本社 1F, at most 200 characters): mails show it.
     */
    String registerAppliance(CustomerId customer, ApplianceId appliance, String name);

    /**
     * A new one-time activation code for a registered appliance (a replaced device, a lost
     * token): an unused older code stops working; the device token in use keeps working until
     * the new code is used.
     *
     * @throws IllegalArgumentException when the appliance is not registered, or was replaced in an RMA (docs/rma.md)
     */
    String issueActivationCode(ApplianceId appliance);

    List<Reseller> resellers(TenantScope scope);

    List<Customer> customers(TenantScope scope);

    List<Appliance> appliances(TenantScope scope);

    /** The customer's company data, if the scope may see the customer. */
    java.util.Optional<CustomerProfile> profile(TenantScope scope, CustomerId customer);

    /**
     * Replaces the customer's company data. Changes go through the desk (000 §7.6): a reseller's
     * scope for its customers, or the operator; a customer's own scope, or a customer outside the
     * scope, is "not found" ({@link IllegalArgumentException}).
     */
    void updateProfile(TenantScope scope, CustomerId customer, CustomerProfile profile);

    /**
     * The end of a customer's contract: everything of the customer is deleted in one transaction —
     * its events, alerts and their roll-ups, mail recipients and queued or sent mails, suppressions,
     * portal accounts with their audit entries and SMS, announcements to it, fault notices, its RMAs, company
     * data and the customer itself; its appliances' registrations and credentials go too, and each
     * appliance id is kept in {@code appliances_to_erase} (no customer data) so that its disk is wiped
     * when it is returned. The operator's act (no scope). docs/store.md "Contract end".
     *
     * @throws IllegalArgumentException when the customer does not exist
     */
    Erasure erase(CustomerId customer);
}
