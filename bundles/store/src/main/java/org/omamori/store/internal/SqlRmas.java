package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.APPLIANCES_TO_ERASE;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_WATCH;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.RESELLERS;
import static org.omamori.store.internal.schema.Tables.RMAS;
import static org.omamori.store.internal.schema.Tables.RMA_STEPS;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.omamori.api.edition.Edition;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.rma.ApplianceAge;
import org.omamori.backoffice.rma.Rma;
import org.omamori.events.ApplianceId;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Rmas;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.AppliancesRecord;
import org.omamori.store.internal.schema.tables.records.RmasRecord;

/** {@link Rmas} on the {@code rmas} and {@code rma_steps} tables and the appliances' {@code manufactured_on}, {@code replaced_by} (V28). */
public final class SqlRmas implements Rmas {

    /** The neutral edition's id (org.omamori.backoffice.edition.NeutralEdition), for a reseller without one. */
    static final String NEUTRAL = "default";

    private final DSLContext db;
    private final Clock clock;
    private final SqlIngestStore.TokenCache tokens;

    /** @param tokens the store's cache of device tokens: a swap's revocation ends the faulty unit's token in it at once */
    private final SqlOutbox outbox;

    /** @param outbox the outbox the RMA's mails go through */
    public SqlRmas(DSLContext db, Clock clock, SqlIngestStore.TokenCache tokens, SqlOutbox outbox) {
        this.outbox = java.util.Objects.requireNonNull(outbox, "outbox");
        this.db = db;
        this.clock = clock;
        this.tokens = tokens;
    }

    @Override
    public String editionOf(CustomerId customer) {
        Record r = db.select(RESELLERS.EDITION).from(CUSTOMERS).join(RESELLERS).on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID))
                .where(CUSTOMERS.ID.eq(customer.value())).fetchOne();
        if (r == null) {
            throw new IllegalArgumentException(customer + " does not exist");
        }
        return Optional.ofNullable(r.get(RESELLERS.EDITION)).orElse(NEUTRAL);
    }

    @Override
    public long open(CustomerId customer, Optional<Long> ticket, Rma rma) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(rma, "rma");
        if (rma.state() != Rma.State.REPORTED || rma.steps().size() != 1) {
            throw new IllegalArgumentException("a new RMA is a report with one step, not " + rma.state());
        }
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            AppliancesRecord a = t.selectFrom(APPLIANCES).where(APPLIANCES.ID.eq(rma.faulty())).forUpdate().fetchOne();
            if (a == null || a.getCustomerId() != customer.value()) {
                throw new IllegalArgumentException("appliance " + rma.faulty() + " is not registered for " + customer);
            }
            if (a.getReplacedBy() != null) {
                throw new IllegalArgumentException("appliance " + rma.faulty() + " was replaced already by " + a.getReplacedBy().strip());
            }
            Long open = t.select(RMAS.ID).from(RMAS).where(RMAS.FAULTY_ID.eq(rma.faulty()))
                    .and(RMAS.STATE.notIn(Rma.State.CLOSED.name(), Rma.State.ERASED.name())).limit(1).fetchOne(RMAS.ID);
            if (open != null) {
                throw new IllegalArgumentException("appliance " + rma.faulty() + " has RMA " + open + " under way");
            }
            Record c = t.select(CUSTOMERS.RESELLER_ID, RESELLERS.EDITION).from(CUSTOMERS).join(RESELLERS)
                    .on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID)).where(CUSTOMERS.ID.eq(customer.value())).fetchOne();
            RmasRecord r = t.newRecord(RMAS);
            r.setResellerId(c.get(CUSTOMERS.RESELLER_ID));
            r.setCustomerId(customer.value());
            r.setEdition(Optional.ofNullable(c.get(RESELLERS.EDITION)).orElse(NEUTRAL));
            r.setTicketId(ticket.orElse(null));
            r.setFaultyId(rma.faulty());
            r.setVersion(0L);
            fill(r, rma);
            r.store();
            steps(t, r.getId(), rma, 0);
            return r.getId();
        });
    }

    @Override
    public Optional<Stored> get(TenantScope scope, long id) {
        return load(db, RMAS.ID.eq(id).and(scoped(scope))).stream().findFirst();
    }

    @Override
    public List<Stored> list(TenantScope scope) {
        return load(db, scoped(scope));
    }

    @Override
    public Saved save(long id, long version, Rma next) {
        Objects.requireNonNull(next, "next");
        String[] code = new String[1];
        Stored saved = db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            RmasRecord r = t.selectFrom(RMAS).where(RMAS.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) {
                throw new IllegalArgumentException("no RMA " + id);
            }
            if (r.getVersion() != version) {
                throw new IllegalStateException("RMA " + id + " was changed meanwhile (version " + r.getVersion() + ", not " + version
                        + "): read it again");
            }
            List<String> saved0 = t.select(RMA_STEPS.TO_STATE).from(RMA_STEPS).where(RMA_STEPS.RMA_ID.eq(id)).orderBy(RMA_STEPS.SEQ)
                    .fetch(RMA_STEPS.TO_STATE);
            boolean continues = next.steps().size() > saved0.size() && next.faulty().equals(r.getFaultyId());
            for (int i = 0; continues && i < saved0.size(); i++) {
                continues = next.steps().get(i).to().name().equals(saved0.get(i));
            }
            if (!continues) {
                throw new IllegalArgumentException("not a next step of RMA " + id);
            }
            // What each new step means for the appliances, in this transaction.
            for (int i = saved0.size(); i < next.steps().size(); i++) {
                Rma.Step s = next.steps().get(i);
                switch (s.to()) {
                    case SHIPPED -> code[0] = ship(t, r, next);
                    case SWAPPED -> swap(t, r, next);
                    case RETURNED -> toErase(t, next.faulty(), s.at(), false);
                    case ERASED -> toErase(t, next.faulty(), s.at(), true);
                    default -> {
                    }
                }
            }
            fill(r, next);
            r.setVersion(version + 1);
            r.store();
            steps(t, id, next, saved0.size());
            return load(t, RMAS.ID.eq(id)).getFirst();
        });
        if (saved.rma().state() == Rma.State.SWAPPED) {
            tokens.forget(new ApplianceId(saved.rma().faulty())); // committed: the revoked token ends on this node at once
        }
        return new Saved(saved, Optional.ofNullable(code[0]));
    }

    /** SHIPPED: the replacement is the customer's (registered now, named as the faulty unit, if new) with a fresh activation code. */
    private String ship(DSLContext t, RmasRecord r, Rma next) {
        long customer = customerOf(r);
        String replacement = next.replacement().orElseThrow();
        AppliancesRecord faulty = t.selectFrom(APPLIANCES).where(APPLIANCES.ID.eq(r.getFaultyId())).fetchOne();
        AppliancesRecord a = t.selectFrom(APPLIANCES).where(APPLIANCES.ID.eq(replacement)).forUpdate().fetchOne();
        String code = Secrets.newActivationCode();
        if (a == null) {
            t.insertInto(APPLIANCES)
                    .set(APPLIANCES.ID, replacement)
                    .set(APPLIANCES.CUSTOMER_ID, customer)
                    .set(APPLIANCES.NAME, faulty == null ? "" : faulty.getName())
                    .set(APPLIANCES.ACTIVATION_CODE_HASH, Secrets.hash(code))
                    .set(APPLIANCES.REGISTERED_AT, Times.column(clock.instant()))
                    .execute();
            return code;
        }
        if (a.getCustomerId() != customer) {
            throw new IllegalArgumentException("appliance " + replacement + " is registered for another customer: ship an unused unit");
        }
        if (a.getTokenHash() != null || a.getReplacedBy() != null) {
            throw new IllegalArgumentException("appliance " + replacement + " is in service already or was replaced: ship an unused unit");
        }
        t.update(APPLIANCES).set(APPLIANCES.ACTIVATION_CODE_HASH, Secrets.hash(code)).where(APPLIANCES.ID.eq(replacement)).execute();
        return code;
    }

    /**
     * SWAPPED: the replacement takes the faulty unit's settings (its name and whether it is watched), the faulty unit
     * points to it and loses its credentials, and its silence from now on raises no stopped notice.
     */
    private void swap(DSLContext t, RmasRecord r, Rma next) {
        long customer = customerOf(r);
        String replacement = next.replacement().orElseThrow();
        AppliancesRecord faulty = t.selectFrom(APPLIANCES).where(APPLIANCES.ID.eq(next.faulty())).forUpdate().fetchOne();
        AppliancesRecord a = t.selectFrom(APPLIANCES).where(APPLIANCES.ID.eq(replacement)).forUpdate().fetchOne();
        if (faulty == null || a == null || faulty.getCustomerId() != customer || a.getCustomerId() != customer) {
            throw new IllegalArgumentException("appliances " + next.faulty() + " and " + replacement + " are not both registered for customer "
                    + customer);
        }
        if (faulty.getReplacedBy() != null) {
            throw new IllegalArgumentException("appliance " + next.faulty() + " was replaced already by " + faulty.getReplacedBy().strip());
        }
        t.update(APPLIANCES).set(APPLIANCES.NAME, faulty.getName()).where(APPLIANCES.ID.eq(replacement)).execute();
        Boolean monitored = t.select(APPLIANCE_WATCH.MONITORED).from(APPLIANCE_WATCH).where(APPLIANCE_WATCH.APPLIANCE_ID.eq(next.faulty()))
                .fetchOne(APPLIANCE_WATCH.MONITORED);
        if (Boolean.FALSE.equals(monitored)) { // in maintenance: the replacement too, until the customer says otherwise
            watched(t, replacement, false);
        }
        watched(t, next.faulty(), false);
        t.update(APPLIANCES)
                .set(APPLIANCES.REPLACED_BY, replacement)
                .setNull(APPLIANCES.TOKEN_HASH)
                .setNull(APPLIANCES.ACTIVATION_CODE_HASH)
                .where(APPLIANCES.ID.eq(next.faulty()))
                .execute();
    }

    private static void watched(DSLContext t, String appliance, boolean monitored) {
        t.insertInto(APPLIANCE_WATCH).set(APPLIANCE_WATCH.APPLIANCE_ID, appliance).set(APPLIANCE_WATCH.MONITORED, monitored)
                .onConflict(APPLIANCE_WATCH.APPLIANCE_ID).doUpdate().set(APPLIANCE_WATCH.MONITORED, monitored).execute();
    }

    /** RETURNED: the unit is to be wiped; ERASED: it was. */
    private static void toErase(DSLContext t, String faulty, ZonedDateTime at, boolean erased) {
        OffsetDateTime when = Times.column(at.toInstant());
        if (!erased) {
            t.insertInto(APPLIANCES_TO_ERASE).set(APPLIANCES_TO_ERASE.APPLIANCE_ID, faulty).set(APPLIANCES_TO_ERASE.ENDED_AT, when)
                    .onConflict(APPLIANCES_TO_ERASE.APPLIANCE_ID).doUpdate().setNull(APPLIANCES_TO_ERASE.ERASED_AT).execute();
            return;
        }
        t.insertInto(APPLIANCES_TO_ERASE).set(APPLIANCES_TO_ERASE.APPLIANCE_ID, faulty).set(APPLIANCES_TO_ERASE.ENDED_AT, when)
                .set(APPLIANCES_TO_ERASE.ERASED_AT, when)
                .onConflict(APPLIANCES_TO_ERASE.APPLIANCE_ID).doUpdate().set(APPLIANCES_TO_ERASE.ERASED_AT, when).execute();
    }

    private static long customerOf(RmasRecord r) {
        return r.getCustomerId();
    }

    @Override
    public Optional<ApplianceId> replacedBy(TenantScope scope, ApplianceId appliance) {
        return Optional.ofNullable(db.select(APPLIANCES.REPLACED_BY).from(APPLIANCES)
                        .where(APPLIANCES.ID.eq(appliance.value())).and(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                        .fetchOne(APPLIANCES.REPLACED_BY))
                .map(s -> new ApplianceId(s.strip()));
    }

    @Override
    public Optional<ApplianceId> replaces(TenantScope scope, ApplianceId appliance) {
        return db.select(APPLIANCES.ID).from(APPLIANCES)
                .where(APPLIANCES.REPLACED_BY.eq(appliance.value())).and(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .fetchOptional(APPLIANCES.ID).map(s -> new ApplianceId(s.strip()));
    }

    @Override
    public void manufactured(ApplianceId appliance, Optional<LocalDate> day) {
        Objects.requireNonNull(day, "day");
        int n = db.update(APPLIANCES).set(APPLIANCES.MANUFACTURED_ON, day.orElse(null)).where(APPLIANCES.ID.eq(appliance.value())).execute();
        if (n != 1) {
            throw new IllegalArgumentException("appliance " + appliance + " is not registered");
        }
    }

    @Override
    public Optional<LocalDate> manufactured(TenantScope scope, ApplianceId appliance) {
        return db.select(APPLIANCES.MANUFACTURED_ON).from(APPLIANCES)
                .where(APPLIANCES.ID.eq(appliance.value())).and(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .fetchOptional(APPLIANCES.MANUFACTURED_ON);
    }

    @Override
    public List<Aged> pastReplacementAge(TenantScope scope, LocalDate day, Function<String, Edition> editions) {
        Objects.requireNonNull(day, "day");
        List<Aged> out = new ArrayList<>();
        // The youngest flagged day is 1 year and a day after manufacture: only those made a year before can be due.
        db.select(APPLIANCES.ID, APPLIANCES.CUSTOMER_ID, CUSTOMERS.NAME, APPLIANCES.NAME, RESELLERS.EDITION, APPLIANCES.MANUFACTURED_ON)
                .from(APPLIANCES).join(CUSTOMERS).on(CUSTOMERS.ID.eq(APPLIANCES.CUSTOMER_ID))
                .join(RESELLERS).on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID))
                .where(APPLIANCES.MANUFACTURED_ON.lt(day.minusYears(1))).and(APPLIANCES.REPLACED_BY.isNull())
                .and(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .forEach(x -> {
                    String edition = Optional.ofNullable(x.get(RESELLERS.EDITION)).orElse(NEUTRAL);
                    LocalDate made = x.get(APPLIANCES.MANUFACTURED_ON);
                    LocalDate from = ApplianceAge.flaggedFrom(editions.apply(edition), made);
                    if (!day.isBefore(from)) {
                        out.add(new Aged(new ApplianceId(x.get(APPLIANCES.ID).strip()), new CustomerId(x.get(APPLIANCES.CUSTOMER_ID)),
                                x.get(CUSTOMERS.NAME), x.get(APPLIANCES.NAME), edition, made, from));
                    }
                });
        out.sort(Comparator.comparing(Aged::manufactured).thenComparing(a -> a.appliance().value()));
        return out;
    }

    private void fill(RmasRecord r, Rma c) {
        r.setState(c.state().name());
        r.setFinding(c.finding().map(s -> text("finding", s, 2000)).orElse(null));
        r.setReplacementId(c.replacement().orElse(null));
        r.setShipBy(c.shipBy().orElse(null));
        r.setReturnBy(c.returnBy().orElse(null));
        r.setOperatorPaysReturn(c.operatorPaysReturn());
        r.setUpdatedAt(Times.column(clock.instant()));
    }

    private static String text(String what, String s, int max) {
        if (s.length() > max) {
            throw new IllegalArgumentException("the " + what + " is longer than " + max + " characters");
        }
        return s;
    }

    private static void steps(DSLContext t, long id, Rma c, int from) {
        for (int i = from; i < c.steps().size(); i++) {
            Rma.Step s = c.steps().get(i);
            t.insertInto(RMA_STEPS)
                    .set(RMA_STEPS.RMA_ID, id)
                    .set(RMA_STEPS.SEQ, i)
                    .set(RMA_STEPS.TO_STATE, s.to().name())
                    .set(RMA_STEPS.AT, Times.column(s.at().toInstant()))
                    .set(RMA_STEPS.ACTOR, s.by().name())
                    .set(RMA_STEPS.WHAT, text("step's text", s.what(), 2000))
                    .execute();
        }
    }

    private static Condition scoped(TenantScope scope) {
        return switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> RMAS.RESELLER_ID.eq(r.id().value());
            case TenantScope.Customer c -> RMAS.CUSTOMER_ID.eq(c.id().value());
        };
    }

    private static ZonedDateTime jst(OffsetDateTime t) {
        return Times.instant(t).atZone(Rma.JST);
    }

    private static List<Stored> load(DSLContext t, Condition where) {
        List<RmasRecord> rows = t.selectFrom(RMAS).where(where).orderBy(RMAS.ID.desc()).fetch();
        Map<Long, List<Rma.Step>> steps = new HashMap<>();
        if (!rows.isEmpty()) {
            t.selectFrom(RMA_STEPS).where(RMA_STEPS.RMA_ID.in(rows.stream().map(RmasRecord::getId).toList()))
                    .orderBy(RMA_STEPS.RMA_ID, RMA_STEPS.SEQ)
                    .forEach(s -> steps.computeIfAbsent(s.getRmaId(), k -> new ArrayList<>()).add(new Rma.Step(
                            Rma.State.valueOf(s.getToState()), jst(s.getAt()), Actor.valueOf(s.getActor()), s.getWhat())));
        }
        List<Stored> out = new ArrayList<>();
        for (RmasRecord r : rows) {
            Rma c = new Rma(Rma.State.valueOf(r.getState()), r.getFaultyId().strip(), Optional.ofNullable(r.getFinding()),
                    Optional.ofNullable(r.getShipBy()), Optional.ofNullable(r.getReplacementId()).map(String::strip),
                    Optional.ofNullable(r.getReturnBy()), r.getOperatorPaysReturn(), steps.getOrDefault(r.getId(), List.of()));
            out.add(new Stored(r.getId(), new ResellerId(r.getResellerId()), new CustomerId(r.getCustomerId()),
                    r.getEdition(), Optional.ofNullable(r.getTicketId()), c, r.getVersion()));
        }
        return out;
    }

    @Override
    public boolean mail(long id, String key, java.util.function.Function<org.omamori.store.Addressee, org.omamori.notify.Mail> mail) {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(mail, "mail");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            Long customer = t.select(RMAS.CUSTOMER_ID).from(RMAS).where(RMAS.ID.eq(id)).fetchOne(RMAS.CUSTOMER_ID);
            if (customer == null) {
                return false;
            }
            return outbox.enqueueFor(t, customer, key, mail, clock.instant());
        });
    }
}
