package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.CLAIMS;
import static org.omamori.store.internal.schema.Tables.CLAIM_STEPS;
import static org.omamori.store.internal.schema.Tables.CONTRACTS;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.insurance.Claim;
import org.omamori.store.Claims;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.ClaimsRecord;

/** {@link Claims} on the {@code claims} and {@code claim_steps} tables (V25). */
public final class SqlClaims implements Claims {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    /** The states whose dispatch the insurance covered: they count against the year's limit and number. */
    private static final Set<String> COVERED = Set.of(Claim.State.DISPATCHED.name(), Claim.State.REPORTED.name(),
            Claim.State.CLAIMED.name(), Claim.State.PAID.name());

    private final DSLContext db;
    private final Clock clock;

    public SqlClaims(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public long open(long contract, Optional<String> alert, Claim claim) {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(claim, "claim");
        if (claim.state() != Claim.State.REQUESTED || claim.steps().size() != 1) {
            throw new IllegalArgumentException("a new claim is a request with one step, not " + claim.state());
        }
        alert.ifPresent(a -> text("alert", a, 40));
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            Record c = t.select(CONTRACTS.RESELLER_ID, CONTRACTS.CUSTOMER_ID, CONTRACTS.EDITION).from(CONTRACTS)
                    .where(CONTRACTS.ID.eq(contract)).forUpdate().fetchOne();
            if (c == null) {
                throw new IllegalArgumentException("no contract " + contract);
            }
            if (c.get(CONTRACTS.CUSTOMER_ID) == null) {
                throw new IllegalArgumentException("contract " + contract + " has no customer any more (its data was erased)");
            }
            ClaimsRecord r = t.newRecord(CLAIMS);
            r.setResellerId(c.get(CONTRACTS.RESELLER_ID));
            r.setCustomerId(c.get(CONTRACTS.CUSTOMER_ID));
            r.setContractId(contract);
            r.setEdition(c.get(CONTRACTS.EDITION));
            r.setAlertId(alert.orElse(null));
            r.setVersion(0L);
            fill(r, claim);
            r.store();
            steps(t, r.getId(), claim, 0);
            return r.getId();
        });
    }

    @Override
    public Optional<Stored> get(TenantScope scope, long id) {
        return load(db, CLAIMS.ID.eq(id).and(scoped(scope))).stream().findFirst();
    }

    @Override
    public List<Stored> list(TenantScope scope) {
        return load(db, scoped(scope));
    }

    @Override
    public Stored save(long id, long version, Claim next) {
        Objects.requireNonNull(next, "next");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            ClaimsRecord r = t.selectFrom(CLAIMS).where(CLAIMS.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) {
                throw new IllegalArgumentException("no claim " + id);
            }
            if (r.getVersion() != version) {
                throw new IllegalStateException("claim " + id + " was changed meanwhile (version " + r.getVersion() + ", not "
                        + version + "): read it again");
            }
            List<String> saved = t.select(CLAIM_STEPS.TO_STATE).from(CLAIM_STEPS).where(CLAIM_STEPS.CLAIM_ID.eq(id))
                    .orderBy(CLAIM_STEPS.SEQ).fetch(CLAIM_STEPS.TO_STATE);
            boolean continues = next.steps().size() > saved.size() && next.raised() == r.getRaised()
                    && next.alertMail().toInstant().equals(Times.instant(r.getAlertMailAt()));
            for (int i = 0; continues && i < saved.size(); i++) {
                continues = next.steps().get(i).to().name().equals(saved.get(i));
            }
            if (!continues) {
                throw new IllegalArgumentException("not a next step of claim " + id);
            }
            fill(r, next);
            r.setVersion(version + 1);
            r.store();
            steps(t, id, next, saved.size());
            return load(t, CLAIMS.ID.eq(id)).getFirst();
        });
    }

    @Override
    public long paidInInsuranceYear(long contract, LocalDate yearStart, LocalDate yearEnd) {
        Long sum = db.select(DSL.coalesce(DSL.sum(CLAIMS.PAID), DSL.inline(java.math.BigDecimal.ZERO))).from(CLAIMS)
                .where(covered(contract, yearStart, yearEnd)).fetchOne(0, Long.class);
        return sum == null ? 0 : sum;
    }

    @Override
    public int dispatchesInInsuranceYear(long contract, LocalDate yearStart, LocalDate yearEnd) {
        return db.fetchCount(CLAIMS, covered(contract, yearStart, yearEnd));
    }

    private static Condition covered(long contract, LocalDate from, LocalDate to) {
        return CLAIMS.CONTRACT_ID.eq(contract).and(CLAIMS.STATE.in(COVERED)).and(CLAIMS.DISPATCH_ON.between(from, to));
    }

    private void fill(ClaimsRecord r, Claim c) {
        r.setState(c.state().name());
        r.setAlertMailAt(Times.column(c.alertMail().toInstant()));
        r.setRaised(c.raised());
        r.setScanResult(c.scanResult().map(s -> text("scan result", s, 1000)).orElse(null));
        r.setVendor(c.vendor().map(s -> text("vendor", s, 200)).orElse(null));
        r.setDispatchOn(c.dispatch().orElse(null));
        r.setInvoiced(c.invoiced().orElse(null));
        r.setPaid(c.paid().orElse(null));
        r.setUpdatedAt(Times.column(clock.instant()));
    }

    private static String text(String what, String s, int max) {
        if (s.length() > max) {
            throw new IllegalArgumentException("the " + what + " is longer than " + max + " characters");
        }
        return s;
    }

    private static void steps(DSLContext t, long id, Claim c, int from) {
        for (int i = from; i < c.steps().size(); i++) {
            Claim.Step s = c.steps().get(i);
            t.insertInto(CLAIM_STEPS)
                    .set(CLAIM_STEPS.CLAIM_ID, id)
                    .set(CLAIM_STEPS.SEQ, i)
                    .set(CLAIM_STEPS.TO_STATE, s.to().name())
                    .set(CLAIM_STEPS.AT, Times.column(s.at().toInstant()))
                    .set(CLAIM_STEPS.ACTOR, s.by().name())
                    .set(CLAIM_STEPS.WHAT, text("step's text", s.what(), 2000))
                    .execute();
        }
    }

    private static Condition scoped(TenantScope scope) {
        return switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> CLAIMS.RESELLER_ID.eq(r.id().value());
            case TenantScope.Customer c -> CLAIMS.CUSTOMER_ID.eq(c.id().value());
        };
    }

    private static ZonedDateTime jst(OffsetDateTime t) {
        return Times.instant(t).atZone(JST);
    }

    private static List<Stored> load(DSLContext t, Condition where) {
        List<ClaimsRecord> rows = t.selectFrom(CLAIMS).where(where).orderBy(CLAIMS.ID.desc()).fetch();
        Map<Long, List<Claim.Step>> steps = new HashMap<>();
        if (!rows.isEmpty()) {
            t.selectFrom(CLAIM_STEPS).where(CLAIM_STEPS.CLAIM_ID.in(rows.stream().map(ClaimsRecord::getId).toList()))
                    .orderBy(CLAIM_STEPS.CLAIM_ID, CLAIM_STEPS.SEQ)
                    .forEach(s -> steps.computeIfAbsent(s.getClaimId(), k -> new ArrayList<>()).add(new Claim.Step(
                            Claim.State.valueOf(s.getToState()), jst(s.getAt()), Actor.valueOf(s.getActor()), s.getWhat())));
        }
        List<Stored> out = new ArrayList<>();
        for (ClaimsRecord r : rows) {
            Claim c = new Claim(Claim.State.valueOf(r.getState()), jst(r.getAlertMailAt()), r.getRaised(),
                    Optional.ofNullable(r.getScanResult()), Optional.ofNullable(r.getVendor()), Optional.ofNullable(r.getDispatchOn()),
                    Optional.ofNullable(r.getInvoiced()), Optional.ofNullable(r.getPaid()), steps.getOrDefault(r.getId(), List.of()));
            out.add(new Stored(r.getId(), r.getContractId(), new ResellerId(r.getResellerId()),
                    Optional.ofNullable(r.getCustomerId()).map(CustomerId::new), r.getEdition(), Optional.ofNullable(r.getAlertId()), c,
                    r.getVersion()));
        }
        return out;
    }
}
