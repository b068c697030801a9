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
import org.omamori.notify.MailBrands;
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
    private final MailBrands brands;

    /**
     * @param editions the edition of an id (the neutral default for one not installed)
     * @param brands   the brand of each customer's mail
     */
    public ClaimDesk(Store store, Function<String, Edition> editions, MailBrands brands) {
        this.store = Objects.requireNonNull(store, "store");
        this.editions = Objects.requireNonNull(editions, "editions");
        this.brands = Objects.requireNonNull(brands, "brands");
    }

    /** ①② Opens a claim on a contract the scope may see; its id. */
    public long open(TenantScope scope, long contract, ZonedDateTime alertMail, boolean starsThree, Optional<String> scan,
                     Optional<String> alert, ZonedDateTime at) {
        Contracts.Stored k = store.contracts().get(scope, contract).orElseThrow(() -> new IllegalArgumentException("no contract " + contract));
        Claim c = new ClaimFlow(editions.apply(k.contract().edition())).request(alertMail, starsThree, scan, at);
        return store.claims().open(contract, alert, c);
    }

    /** Takes a step on a claim the scope may see, saves it and mails the customer where it must act or learns the outcome. */
    public Claims.Stored step(TenantScope scope, long id, Step step, ZonedDateTime at) {
        Claims.Stored s = store.claims().get(scope, id).orElseThrow(() -> new IllegalArgumentException("no claim " + id));
        ClaimFlow flow = new ClaimFlow(editions.apply(s.edition()));
        Claims.Stored saved = store.claims().save(id, s.version(), step.take(flow, s, at));
        Claim c = saved.claim();
        Optional<String> text = switch (c.state()) {
            case SCAN_ASKED -> Optional.of("駆け付け対応のご相談を承りました。まず、対象の端末でウイルス対策ソフトのフルスキャンを実施し、"
                    + "結果をポータルの「駆け付け・保険」またはサポート窓口へお知らせください。");
            case VENDORS_LISTED -> Optional.of(c.steps().getLast().what() + "しました。業者をお選びいただき、日程を調整のうえ、"
                    + "ポータルの「駆け付け・保険」で業者名と日付をお知らせください。アラートメールから30日以内の駆け付けが保険の対象です。");
            case DISPATCHED -> Optional.of(c.steps().getLast().what() + "。業者からの報告書と請求書を受け取り次第、保険会社へ請求します。");
            case REFUSED -> Optional.of("誠に恐れ入りますが、今回の駆け付けは保険の対象外です。\n理由: " + c.steps().getLast().what());
            case PAID -> Optional.of("保険会社から業者へ " + org.omamori.backoffice.billing.Yen.of(c.paid().orElse(0L)) + " が支払われました。"
                    + (ClaimFlow.customersOwn(c) > 0 ? "\n保険の上限を超える " + org.omamori.backoffice.billing.Yen.of(ClaimFlow.customersOwn(c))
                            + " は、業者へ直接お支払いください。" : ""));
            default -> Optional.empty();
        };
        if (text.isPresent() && s.customer().isPresent()) {
            store.contracts().mail(s.contract(), "claim:" + s.customer().get().value() + ":" + id + ":" + c.state(),
                    CustomerMail.of(brands, "駆け付け・保険のご相談（請求番号 " + id + "）: " + c.state().ja(), text.get()));
        }
        return saved;
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
