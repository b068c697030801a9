package org.omamori.desk;

import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.rma.Rma;
import org.omamori.backoffice.rma.RmaFlow;
import org.omamori.events.ApplianceId;
import org.omamori.notify.MailBrands;
import org.omamori.store.Appliance;
import org.omamori.store.Rmas;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

/**
 * RMAs over the store (docs/rma.md): each step of {@link RmaFlow} on a stored RMA, and the customer
 * told by mail when it must act — the replacement shipped (swap it), the return due (by when, carriage
 * paid), or no fault found (why). The CLI and the portal take their steps here.
 */
public final class RmaDesk {

    /** A step of the flow on a stored RMA. */
    @FunctionalInterface
    public interface Step {
        Rma take(RmaFlow flow, Rma rma, ZonedDateTime at);
    }

    private final Store store;
    private final Function<String, Edition> editions;
    private final MailBrands brands;

    public RmaDesk(Store store, Function<String, Edition> editions, MailBrands brands) {
        this.store = Objects.requireNonNull(store, "store");
        this.editions = Objects.requireNonNull(editions, "editions");
        this.brands = Objects.requireNonNull(brands, "brands");
    }

    /** A fault reported for an appliance the scope may see: the RMA's id. */
    public long open(TenantScope scope, ApplianceId appliance, Optional<Long> ticket, ZonedDateTime at, Actor by) {
        Appliance a = store.tenants().appliances(scope).stream().filter(x -> x.id().equals(appliance)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("appliance " + appliance + " is not registered"));
        Rma r = new RmaFlow(editions.apply(store.rmas().editionOf(a.customer()))).report(appliance.value(), at, by,
                ticket.map(t -> "故障チケット " + t).orElse("デスク"));
        return store.rmas().open(a.customer(), ticket, r);
    }

    /** Takes a step on an RMA the scope may see, saves it and mails the customer where it must act. */
    public Rmas.Saved step(TenantScope scope, long id, Step step, ZonedDateTime at) {
        Rmas.Stored s = store.rmas().get(scope, id).orElseThrow(() -> new IllegalArgumentException("no RMA " + id));
        Rmas.Saved saved = store.rmas().save(id, s.version(), step.take(new RmaFlow(editions.apply(s.edition())), s.rma(), at));
        Rma r = saved.stored().rma();
        Optional<String> text = switch (r.state()) {
            case SHIPPED -> Optional.of("故障のご連絡をいただいたUTM装置（" + r.faulty() + "）の代替機（" + r.replacement().orElse("") + "）を発送しました。\n"
                    + "届きましたら故障機と入れ替えて電源を入れてください。設定と履歴は代替機に引き継がれます。\n"
                    + "交換が済みましたら、ポータルの「故障・機器交換」でお知らせください。");
            case SWAPPED -> Optional.of("機器の交換ありがとうございました。故障機（" + r.faulty() + "）は"
                    + r.returnBy().map(d -> " " + d + " までに").orElse("") + "ご返送ください"
                    + (r.operatorPaysReturn() ? "（送料は当社負担・着払い）" : "") + "。\n故障機の通信は停止され、返却後にデータを消去します。");
            case CLOSED -> Optional.of("UTM装置（" + r.faulty() + "）を確認しましたが、故障は見つかりませんでした。\n確認結果: "
                    + r.finding().orElse(""));
            default -> Optional.empty();
        };
        text.ifPresent(t -> store.rmas().mail(id, "rma:" + s.customer().value() + ":" + id + ":" + r.state(),
                CustomerMail.of(brands, "UTM装置の故障対応（RMA番号 " + id + "）: " + r.state().ja(), t)));
        return saved;
    }

    /**
     * The replacements activated since they shipped: each such RMA takes its swap step (by the system,
     * as if the customer said so), so activating the replacement is what carries the faulty unit's
     * settings over and revokes its credentials (docs/rma.md). Run by the desk's job every minute.
     *
     * @return how many RMAs were swapped
     */
    public int swapActivated(ZonedDateTime at) {
        java.util.List<Rmas.Stored> shipped = store.rmas().list(TenantScope.operator()).stream()
                .filter(s -> s.rma().state() == Rma.State.SHIPPED).toList();
        if (shipped.isEmpty()) {
            return 0;
        }
        java.util.Map<String, java.time.Instant> activated = new java.util.HashMap<>();
        for (Appliance a : store.tenants().appliances(TenantScope.operator())) {
            a.activatedAt().ifPresent(t -> activated.put(a.id().value(), t));
        }
        int swapped = 0;
        for (Rmas.Stored s : shipped) {
            java.time.Instant on = s.rma().replacement().map(activated::get).orElse(null);
            java.time.Instant sent = s.rma().step(Rma.State.SHIPPED).orElseThrow().at().toInstant();
            if (on != null && !on.isBefore(sent)) {
                try {
                    step(TenantScope.operator(), s.id(), (f, r, t) -> f.swapped(r, t, Actor.SYSTEM), at);
                    swapped++;
                } catch (IllegalStateException movedOn) {
                    // Someone took the step meanwhile.
                }
            }
        }
        return swapped;
    }
}
