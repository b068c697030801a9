package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.CONTRACTS;
import static org.omamori.store.internal.schema.Tables.CONTRACT_STEPS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.Contract;
import org.omamori.backoffice.contract.ContractState;
import org.omamori.notify.Mail;
import org.omamori.store.Addressee;
import org.omamori.store.Contracts;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.ContractsRecord;

/** {@link Contracts} on the {@code contracts} and {@code contract_steps} tables (V22). */
public final class SqlContracts implements Contracts {

    private final DSLContext db;
    private final SqlOutbox outbox;
    private final Clock clock;

    public SqlContracts(DSLContext db, SqlOutbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public long create(CustomerId customer, Contract contract) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(contract, "contract");
        if (contract.state() != ContractState.APPLIED) {
            throw new IllegalArgumentException("a new contract is an application, not " + contract.state());
        }
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            Long reseller = t.select(CUSTOMERS.RESELLER_ID).from(CUSTOMERS).where(CUSTOMERS.ID.eq(customer.value())).forUpdate()
                    .fetchOne(CUSTOMERS.RESELLER_ID);
            if (reseller == null) {
                throw new IllegalArgumentException(customer + " does not exist");
            }
            if (t.fetchExists(CONTRACTS, CONTRACTS.CUSTOMER_ID.eq(customer.value()).and(CONTRACTS.STATE.ne(ContractState.ENDED.name())))) {
                throw new IllegalArgumentException(customer + " has a contract that has not ended");
            }
            ContractsRecord r = t.newRecord(CONTRACTS);
            r.setResellerId(reseller);
            r.setCustomerId(customer.value());
            r.setVersion(0L);
            fill(r, contract);
            r.store();
            steps(t, r.getId(), contract, 0);
            return r.getId();
        });
    }

    @Override
    public Optional<Stored> get(TenantScope scope, long id) {
        return load(db, CONTRACTS.ID.eq(id).and(scoped(scope))).stream().findFirst();
    }

    @Override
    public List<Stored> list(TenantScope scope) {
        return load(db, scoped(scope));
    }

    @Override
    public Stored save(long id, long version, Contract next, Optional<Function<Addressee, Mail>> mail) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(mail, "mail");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            ContractsRecord r = t.selectFrom(CONTRACTS).where(CONTRACTS.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) {
                throw new IllegalArgumentException("no contract " + id);
            }
            if (r.getVersion() != version) {
                throw new IllegalStateException("contract " + id + " was changed meanwhile (version " + r.getVersion() + ", not "
                        + version + "): read it again");
            }
            int saved = t.fetchCount(CONTRACT_STEPS, CONTRACT_STEPS.CONTRACT_ID.eq(id));
            if (next.history().size() <= saved || !next.edition().equals(r.getEdition())) {
                throw new IllegalArgumentException("not a next step of contract " + id);
            }
            fill(r, next);
            r.setVersion(version + 1);
            r.store();
            steps(t, id, next, saved);
            if (r.getCustomerId() != null) {
                long customer = r.getCustomerId();
                if (mail.isPresent()) {
                    outbox.enqueueFor(t, customer, "contract:" + id + ":" + (version + 1), mail.get(), clock.instant());
                }
                if (next.state() == ContractState.ENDED) {
                    CustomerErasure.erase(t, new CustomerId(customer), clock.instant());
                }
            }
            return load(t, CONTRACTS.ID.eq(id)).getFirst();
        });
    }

    @Override
    public boolean mail(long id, String key, Function<Addressee, Mail> mail) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mail, "mail");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            Long customer = t.select(CONTRACTS.CUSTOMER_ID).from(CONTRACTS).where(CONTRACTS.ID.eq(id)).fetchOne(CONTRACTS.CUSTOMER_ID);
            if (customer == null) {
                return false;
            }
            return outbox.enqueueFor(t, customer, key, mail, clock.instant());
        });
    }

    private void fill(ContractsRecord r, Contract c) {
        r.setEdition(c.edition());
        r.setState(c.state().name());
        r.setAppliedOn(c.applied());
        r.setApprovedOn(c.approved().orElse(null));
        r.setPlannedStart(c.plannedStart().orElse(null));
        r.setStartedOn(c.started().orElse(null));
        r.setPeriodEnd(c.periodEnd().orElse(null));
        r.setEndsOn(c.endsOn().orElse(null));
        r.setMember(c.member().orElse(null));
        r.setAppliances(c.appliances());
        r.setPcs(c.pcs());
        r.setMonthlyFee(c.monthlyFee().isPresent() ? c.monthlyFee().getAsLong() : null);
        r.setUpdatedAt(Times.column(clock.instant()));
    }

    private void steps(DSLContext t, long id, Contract c, int from) {
        for (int i = from; i < c.history().size(); i++) {
            Contract.Step s = c.history().get(i);
            t.insertInto(CONTRACT_STEPS)
                    .set(CONTRACT_STEPS.CONTRACT_ID, id)
                    .set(CONTRACT_STEPS.SEQ, i)
                    .set(CONTRACT_STEPS.FROM_STATE, s.from().name())
                    .set(CONTRACT_STEPS.TO_STATE, s.to().name())
                    .set(CONTRACT_STEPS.ON_DAY, s.on())
                    .set(CONTRACT_STEPS.ACTOR, s.by().name())
                    .set(CONTRACT_STEPS.WHAT, s.what().length() > 1000 ? s.what().substring(0, 1000) : s.what())
                    .set(CONTRACT_STEPS.RECORDED_AT, Times.column(clock.instant()))
                    .execute();
        }
    }

    private static Condition scoped(TenantScope scope) {
        return switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> CONTRACTS.RESELLER_ID.eq(r.id().value());
            case TenantScope.Customer c -> CONTRACTS.CUSTOMER_ID.eq(c.id().value());
        };
    }

    private static List<Stored> load(DSLContext t, Condition where) {
        List<ContractsRecord> rows = t.selectFrom(CONTRACTS).where(where).orderBy(CONTRACTS.ID.desc()).fetch();
        Map<Long, List<Contract.Step>> steps = new HashMap<>();
        if (!rows.isEmpty()) {
            t.selectFrom(CONTRACT_STEPS).where(CONTRACT_STEPS.CONTRACT_ID.in(rows.stream().map(ContractsRecord::getId).toList()))
                    .orderBy(CONTRACT_STEPS.CONTRACT_ID, CONTRACT_STEPS.SEQ)
                    .forEach(s -> steps.computeIfAbsent(s.getContractId(), k -> new ArrayList<>()).add(new Contract.Step(
                            ContractState.valueOf(s.getFromState()), ContractState.valueOf(s.getToState()), s.getOnDay(),
                            Actor.valueOf(s.getActor()), s.getWhat())));
        }
        List<Stored> out = new ArrayList<>();
        for (ContractsRecord r : rows) {
            Contract c = new Contract(r.getEdition(), ContractState.valueOf(r.getState()), r.getAppliedOn(),
                    date(r.getApprovedOn()), date(r.getPlannedStart()), date(r.getStartedOn()), date(r.getPeriodEnd()),
                    date(r.getEndsOn()), Optional.ofNullable(r.getMember()), r.getAppliances(), r.getPcs(),
                    r.getMonthlyFee() == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(r.getMonthlyFee()),
                    steps.getOrDefault(r.getId(), List.of()));
            out.add(new Stored(r.getId(), new ResellerId(r.getResellerId()),
                    Optional.ofNullable(r.getCustomerId()).map(CustomerId::new), c, r.getVersion()));
        }
        return out;
    }

    private static Optional<LocalDate> date(LocalDate d) {
        return Optional.ofNullable(d);
    }
}
