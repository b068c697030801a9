package org.omamori.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.rma.Rma;
import org.omamori.events.ApplianceId;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Faulty appliances replaced (RMA, docs/rma.md): each RMA on a customer's appliance with the
 * customer's reseller and edition, and every step taken. Steps are made by
 * {@link org.omamori.backoffice.rma.RmaFlow}; the store saves them one version at a time and does, in
 * the same transaction, what a step means for the appliances: SHIPPED registers the replacement for
 * the customer (if it is not yet) and gives it a fresh activation code; SWAPPED carries the faulty
 * unit's settings over to the replacement, links the two ({@code replaced_by}) and revokes the faulty
 * unit's credentials; RETURNED lists the faulty unit in {@code appliances_to_erase}; ERASED records its
 * erasure there. The customer's erasure deletes its RMAs ({@link Tenants#erase}); its units still to come back are
 * wiped through {@code appliances_to_erase} like all its appliances.
 */
@ProviderType
public interface Rmas {

    /**
     * A stored RMA.
     *
     * @param id       its number
     * @param reseller who sells the customer's service
     * @param customer whose appliance it is
     * @param edition  the customer's edition when it was opened, whose support terms set its deadlines
     * @param ticket   the FAULT ticket it came from, if any
     * @param rma      its state, deadlines and steps
     * @param version  what {@link #save} must be given to take the next step
     */
    record Stored(long id, ResellerId reseller, CustomerId customer, String edition, Optional<Long> ticket, Rma rma,
                  long version) {
    }

    /**
     * A saved step.
     *
     * @param stored         the RMA as saved
     * @param activationCode at SHIPPED, the replacement's one-time activation code (only its hash is kept: it goes with the
     *                       unit now); empty otherwise
     */
    record Saved(Stored stored, Optional<String> activationCode) {
    }

    /**
     * An appliance past its edition's replacement age.
     *
     * @param flaggedFrom the first day it was past it
     */
    record Aged(ApplianceId appliance, CustomerId customer, String customerName, String name, String edition, LocalDate manufactured,
                LocalDate flaggedFrom) {
    }

    /** The customer's edition id ({@code default} for the neutral one). @throws IllegalArgumentException when the customer does not exist */
    String editionOf(CustomerId customer);

    /**
     * Saves a new RMA (REPORTED, one step) on the customer's appliance {@code rma.faulty()}.
     *
     * @param ticket the FAULT ticket it came from, if any
     * @throws IllegalArgumentException when the appliance is not the customer's, was replaced already or has an RMA under way,
     *                                  or the RMA is not a new one
     */
    long open(CustomerId customer, Optional<Long> ticket, Rma rma);

    /** The RMA, if the scope may see it (a customer its own, a reseller its customers'). */
    Optional<Stored> get(TenantScope scope, long id);

    /** The RMAs the scope may see, newest first. */
    List<Stored> list(TenantScope scope);

    /**
     * Saves the RMA's next step, and what it means for the appliances, in one transaction.
     *
     * @param version the version the step was made from
     * @throws IllegalStateException    when another step was saved meanwhile (the version moved on): read it again
     * @throws IllegalArgumentException when the RMA does not exist, {@code next} does not continue its steps, the replacement
     *                                  is another customer's or in service already
     */
    Saved save(long id, long version, Rma next);

    /** The appliance that replaced {@code appliance}, if the scope may see it and it was replaced. */
    Optional<ApplianceId> replacedBy(TenantScope scope, ApplianceId appliance);

    /** The appliance {@code appliance} replaced, if the scope may see it and it replaced one. */
    Optional<ApplianceId> replaces(TenantScope scope, ApplianceId appliance);

    /** Records the day a registered appliance was made (empty: not known). @throws IllegalArgumentException when not registered */
    void manufactured(ApplianceId appliance, Optional<LocalDate> day);

    /** The day the appliance was made, if the scope may see it and it was recorded. */
    Optional<LocalDate> manufactured(TenantScope scope, ApplianceId appliance);

    /**
     * The appliances in service (not replaced) that the scope may see and that are past their customer's
     * edition's replacement age on {@code day} ({@link org.omamori.backoffice.rma.ApplianceAge}), oldest first.
     *
     * @param editions an edition by id ({@code default} for the neutral one)
     */
    List<Aged> pastReplacementAge(TenantScope scope, LocalDate day, Function<String, Edition> editions);

    /**
     * Puts a mail about the RMA into the outbox for its customer's recipients; once per {@code key}.
     *
     * @return false when the customer gave no address
     */
    boolean mail(long id, String key, java.util.function.Function<Addressee, org.omamori.notify.Mail> mail);
}
