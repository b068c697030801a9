package org.omamori.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.omamori.backoffice.insurance.Claim;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The insurance claims the back office keeps (docs/insurance.md "Claims"): each on a contract, with
 * its reseller, its customer while the customer's data exists, and every step taken. Steps are
 * made by {@link org.omamori.backoffice.insurance.ClaimFlow}; the store saves them, one claim
 * version at a time. A claim outlives its customer's erasure, like its contract, without the
 * customer (its dates, amounts, scan result and vendor are no personal data).
 */
@ProviderType
public interface Claims {

    /**
     * A stored claim.
     *
     * @param id       its number
     * @param contract the contract it is made on
     * @param reseller who sells the contract
     * @param customer whose it is; empty once the customer's data was erased
     * @param edition  the contract's edition, whose insurance pays
     * @param alert    the alert's display id, when the claim names one
     * @param claim    its state, dates, amounts and steps
     * @param version  what {@link #save} must be given to take the next step
     */
    record Stored(long id, long contract, ResellerId reseller, Optional<CustomerId> customer, String edition, Optional<String> alert,
                  Claim claim, long version) {
    }

    /**
     * Saves a new claim (② the customer asked the desk) on a contract, for the contract's customer.
     *
     * @param alert the alert's display id, if known
     * @throws IllegalArgumentException when the contract does not exist or has no customer any more, or
     *                                  the claim is not a new one (state REQUESTED, one step)
     */
    long open(long contract, Optional<String> alert, Claim claim);

    /** The claim, if the scope may see it (a customer its own, a reseller its customers'). */
    Optional<Stored> get(TenantScope scope, long id);

    /** The claims the scope may see, newest first. */
    List<Stored> list(TenantScope scope);

    /**
     * Saves the claim's next step(s).
     *
     * @param version the version the step was made from
     * @throws IllegalStateException    when another step was saved meanwhile (the version moved on): read it again
     * @throws IllegalArgumentException when the claim does not exist or {@code next} does not continue its steps
     */
    Stored save(long id, long version, Claim next);

    /**
     * What the insurance paid, or holds, for the contract's dispatches from {@code yearStart} to
     * {@code yearEnd} (both included): the {@code paid} of its claims dispatched in those days and not
     * refused (DISPATCHED holds the dispatch's limit until the invoice is in; REPORTED, CLAIMED and
     * PAID the insurer's share), so that two claims open at once cannot both use the same limit.
     */
    long paidInInsuranceYear(long contract, LocalDate yearStart, LocalDate yearEnd);

    /** How many of the contract's dispatches from {@code yearStart} to {@code yearEnd} the insurance covered (as above). */
    int dispatchesInInsuranceYear(long contract, LocalDate yearStart, LocalDate yearEnd);
}
