package org.omamori.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.backoffice.contract.Contract;
import org.omamori.notify.Mail;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The contracts the back office keeps (docs/contracts.md): each with its reseller, its customer
 * while the customer's data exists, and every step taken. Steps are made by
 * {@link org.omamori.backoffice.contract.Lifecycle}; the store saves them, one contract version at
 * a time, with what a step does beyond the contract in the same transaction.
 */
@ProviderType
public interface Contracts {

    /**
     * A stored contract.
     *
     * @param id       its number
     * @param reseller who sells it
     * @param customer whose it is; empty once the contract ended and the customer's data was erased
     * @param contract its state, dates and steps
     * @param version  what {@link #save} must be given to take the next step
     */
    record Stored(long id, ResellerId reseller, Optional<CustomerId> customer, Contract contract, long version) {
    }

    /**
     * Saves a new contract (an application) for a customer; the reseller is the customer's.
     *
     * @throws IllegalArgumentException when the customer does not exist, or has a contract that has not ended
     */
    long create(CustomerId customer, Contract contract);

    /** The contract, if the scope may see it (a customer its own, a reseller its customers'). */
    Optional<Stored> get(TenantScope scope, long id);

    /** The contracts the scope may see, newest first. */
    List<Stored> list(TenantScope scope);

    /**
     * Saves the contract's next step, in one transaction with what the step does: the {@code mail}
     * made for the customer's recipients in its edition's brand is put in the outbox (the approval
     * mail: the contract is formed when it is sent), and a step to ENDED erases the customer's data
     * ({@link Tenants#erase}) and keeps the contract without it.
     *
     * @param version the version the step was made from
     * @throws IllegalStateException when another step was saved meanwhile (the version moved on): read it again
     * @throws IllegalArgumentException when the contract does not exist or {@code next} is not its next step
     */
    Stored save(long id, long version, Contract next, Optional<Function<Addressee, Mail>> mail);

    /**
     * Puts a mail about the contract into the outbox for its customer's recipients, in its edition's
     * brand; once per {@code key} (a second call with the same key changes nothing).
     *
     * @return false when the contract has no customer any more or the customer gave no address
     */
    boolean mail(long id, String key, Function<Addressee, Mail> mail);
}
