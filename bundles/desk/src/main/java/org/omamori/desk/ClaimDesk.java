package org.omamori.desk;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.contract.Contract;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.backoffice.insurance.Claim;
import org.omamori.backoffice.insurance.ClaimFlow;
import org.omamori.backoffice.insurance.InsuranceCheck;
import org.omamori.store.Claims;
import org.omamori.store.Contracts;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

/**
 * Insurance claims over the store (docs/insurance.md "Claims"): each step of {@link ClaimFlow} on a
 * stored claim, with what the dispatch's check needs read from the store — the contract's service
 * start and last renewal, and what the contract's claims used of that insurance year. The CLI and
 * the portal take their steps here, so both check a dispatch the same way.
 */
public final class ClaimDesk {

    /** A step of the flow on a stored claim. */
    @FunctionalInterface
    public interface Step {
        Claim take(ClaimFlow flow, Claims.Stored stored, ZonedDateTime at);
    }

    private final Store store;
    private final Function<String, Edition> editions;

    /** @param editions the edition of an id (the neutral default for one not installed) */
    public ClaimDesk(Store store, Function<String, Edition> editions) {
        this.store = Objects.requireNonNull(store, "store");
        this.editions = Objects.requireNonNull(editions, "editions");
    }

    /** ①② Opens a claim on a contract the scope may see; its id. */
    public long open(TenantScope scope, long contract, ZonedDateTime alertMail, boolean starsThree, Optional<String> scan,
                     Optional<String> alert, ZonedDateTime at) {
        Contracts.Stored k = store.contracts().get(scope, contract).orElseThrow(() -> new IllegalArgumentException("no contract " + contract));
        Claim c = new ClaimFlow(editions.apply(k.contract().edition())).request(alertMail, starsThree, scan, at);
        return store.claims().open(contract, alert, c);
    }

    /** Takes a step on a claim the scope may see and saves it. */
    public Claims.Stored step(TenantScope scope, long id, Step step, ZonedDateTime at) {
        Claims.Stored s = store.claims().get(scope, id).orElseThrow(() -> new IllegalArgumentException("no claim " + id));
        ClaimFlow flow = new ClaimFlow(editions.apply(s.edition()));
        return store.claims().save(id, s.version(), step.take(flow, s, at));
    }

    /** ⑥ The vendor worked on site on {@code day}: checked against the insurance; not covered, the claim is refused. */
    public Claims.Stored dispatched(TenantScope scope, long id, LocalDate day, ZonedDateTime at) {
        return step(scope, id, (f, s, t) -> {
            Contract k = store.contracts().get(TenantScope.operator(), s.contract()).orElseThrow().contract();
            LocalDate start = k.started().orElseThrow(() -> new ContractRuleException("claim-service",
                    "the service of contract " + s.contract() + " has not started: nothing is insured yet"));
            InsuranceCheck.Year year = InsuranceCheck.yearOf(start, day);
            return f.dispatched(s.claim(), day, start, store.claims().paidInInsuranceYear(s.contract(), year.from(), year.to()),
                    store.claims().dispatchesInInsuranceYear(s.contract(), year.from(), year.to()), renewedOn(k, day), t);
        }, at);
    }

    /**
     * The contract's last renewal on or before {@code day}: yearly periods renew on the day after a
     * period end, and the stored period end is the current one's.
     */
    public static Optional<LocalDate> renewedOn(Contract k, LocalDate day) {
        if (k.periodEnd().isEmpty() || k.started().isEmpty()) {
            return Optional.empty();
        }
        for (LocalDate r = k.periodEnd().get().plusDays(1).minusYears(1); r.isAfter(k.started().get()); r = r.minusYears(1)) {
            if (!r.isAfter(day)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
