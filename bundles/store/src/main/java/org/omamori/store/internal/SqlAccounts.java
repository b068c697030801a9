package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ACCOUNTS;
import static org.omamori.store.internal.schema.Tables.ACCOUNT_AUDIT;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.RESELLERS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.omamori.accounts.Account;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountRole;
import org.omamori.accounts.AccountScope;
import org.omamori.accounts.AuditEntry;
import org.omamori.accounts.LoginId;
import org.omamori.accounts.LoginThrottle;
import org.omamori.accounts.Totp;
import org.omamori.accounts.TwoStepMethod;
import org.omamori.store.Accounts;
import org.omamori.store.CustomerId;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.AccountAuditRecord;
import org.omamori.store.internal.schema.tables.records.AccountsRecord;

/** Accounts and their audit log in SQL; scoped reads through {@link Scopes}, as every other read. */
public final class SqlAccounts implements Accounts {

    private final DSLContext db;
    private final Clock clock;
    private final TotpSecretBox box;

    public SqlAccounts(DSLContext db, Clock clock, TotpSecretBox box) {
        this.db = db;
        this.clock = clock;
        this.box = Objects.requireNonNull(box, "box");
    }

    @Override
    public AccountId create(String loginId, String displayName, AccountScope scope, String passwordHash, AccountId createdBy) {
        String login = loginId(loginId);
        if (displayName == null || displayName.isBlank() || displayName.length() > 200
                || displayName.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a display name is 1 to 200 characters without control characters");
        }
        Objects.requireNonNull(passwordHash, "passwordHash");
        Instant now = clock.instant();
        try {
            return db.transactionResult(tx -> {
                DSLContext t = tx.dsl();
                Long customer = null;
                Long reseller = null;
                switch (scope) {
                    case AccountScope.OfCustomer c -> customer = c.customerId();
                    case AccountScope.OfReseller r -> reseller = r.resellerId();
                    case AccountScope.Everything e -> { }
                }
                if (customer != null && !t.fetchExists(CUSTOMERS, CUSTOMERS.ID.eq(customer))) {
                    throw new IllegalArgumentException("customer " + customer + " does not exist");
                }
                if (reseller != null && !t.fetchExists(RESELLERS, RESELLERS.ID.eq(reseller))) {
                    throw new IllegalArgumentException("reseller " + reseller + " does not exist");
                }
                if (t.fetchExists(ACCOUNTS, ACCOUNTS.LOGIN_ID.eq(login))) {
                    throw new IllegalArgumentException("the user ID is taken");
                }
                long id = t.insertInto(ACCOUNTS)
                        .set(ACCOUNTS.LOGIN_ID, login)
                        .set(ACCOUNTS.DISPLAY_NAME, displayName.strip())
                        .set(ACCOUNTS.ROLE, scope.role().name())
                        .set(ACCOUNTS.CUSTOMER_ID, customer)
                        .set(ACCOUNTS.RESELLER_ID, reseller)
                        .set(ACCOUNTS.PASSWORD_HASH, passwordHash)
                        .set(ACCOUNTS.TWO_STEP, TwoStepMethod.NONE.name())
                        .set(ACCOUNTS.FAILURES, 0)
                        .set(ACCOUNTS.MUST_CHANGE_PASSWORD, true)
                        .set(ACCOUNTS.LAST_TOTP_STEP, Totp.NEVER)
                        .set(ACCOUNTS.CREATED_AT, Times.column(now))
                        .returning(ACCOUNTS.ID).fetchOne(ACCOUNTS.ID);
                AccountId created = new AccountId(id);
                insertAudit(t, AuditEntry.of(now, AuditEntry.Kind.ACCOUNT_CREATED, created, other(created, createdBy)));
                return created;
            });
        } catch (IntegrityConstraintViolationException e) {
            throw new IllegalArgumentException("the user ID is taken"); // a racing create won
        }
    }

    @Override
    public Optional<Account> forSignIn(String loginId) {
        if (loginId == null) {
            return Optional.empty();
        }
        return db.selectFrom(ACCOUNTS).where(ACCOUNTS.LOGIN_ID.eq(LoginId.normalise(loginId))).fetchOptional().map(this::account);
    }

    @Override
    public Optional<Account> find(TenantScope scope, AccountId id) {
        return db.selectFrom(ACCOUNTS).where(ACCOUNTS.ID.eq(id.value()), inScope(scope)).fetchOptional().map(this::account);
    }

    @Override
    public List<Account> list(TenantScope scope) {
        return db.selectFrom(ACCOUNTS).where(inScope(scope)).orderBy(ACCOUNTS.LOGIN_ID).fetch(this::account);
    }

    @Override
    public LoginThrottle.Outcome recordFailure(AccountId id, LoginThrottle throttle, Instant now, AuditEntry.Reason reason,
            String clientAddress) {
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            AccountsRecord row = t.selectFrom(ACCOUNTS).where(ACCOUNTS.ID.eq(id.value())).forUpdate().fetchOptional()
                    .orElseThrow(() -> notFound(id));
            LoginThrottle.Outcome o = throttle.failure(
                    new LoginThrottle.State(row.getFailures(), Times.instant(row.getLockedUntil())), now);
            t.update(ACCOUNTS)
                    .set(ACCOUNTS.FAILURES, o.next().failures())
                    .set(ACCOUNTS.LOCKED_UNTIL, o.next().lockedUntil() == null ? null : Times.column(o.next().lockedUntil()))
                    .where(ACCOUNTS.ID.eq(id.value())).execute();
            insertAudit(t, AuditEntry.signInFailed(now, id, reason, clientAddress));
            if (o.lockedNow()) {
                insertAudit(t, AuditEntry.locked(now, id, o.next().lockedUntil(), clientAddress));
            }
            return o;
        });
    }

    @Override
    public void recordSuccess(AccountId id, Instant now, String clientAddress) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            clearThrottle(t, id);
            insertAudit(t, AuditEntry.signInOk(now, id, clientAddress));
        });
    }

    @Override
    public boolean acceptTotpStep(AccountId id, long step) {
        // One guarded UPDATE: of two racing sign-ins with the same code, the second matches no row.
        return db.update(ACCOUNTS).set(ACCOUNTS.LAST_TOTP_STEP, step)
                .where(ACCOUNTS.ID.eq(id.value()), ACCOUNTS.LAST_TOTP_STEP.lt(step)).execute() == 1;
    }

    @Override
    public void changePassword(TenantScope scope, AccountId id, String passwordHash, boolean mustChange, AccountId by) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            found(id, t.update(ACCOUNTS).set(ACCOUNTS.PASSWORD_HASH, passwordHash)
                    .set(ACCOUNTS.MUST_CHANGE_PASSWORD, mustChange).where(ACCOUNTS.ID.eq(id.value()), inScope(scope)).execute());
            insertAudit(t, AuditEntry.of(clock.instant(), AuditEntry.Kind.PASSWORD_CHANGED, id, other(id, by)));
        });
    }

    @Override
    public boolean changeLoginId(TenantScope scope, AccountId id, String loginId, AccountId by) {
        String login = loginId(loginId);
        try {
            return db.transactionResult(tx -> {
                DSLContext t = tx.dsl();
                if (t.fetchExists(ACCOUNTS, ACCOUNTS.LOGIN_ID.eq(login), ACCOUNTS.ID.ne(id.value()))) {
                    return false;
                }
                found(id, t.update(ACCOUNTS).set(ACCOUNTS.LOGIN_ID, login)
                        .where(ACCOUNTS.ID.eq(id.value()), inScope(scope)).execute());
                insertAudit(t, AuditEntry.of(clock.instant(), AuditEntry.Kind.LOGIN_ID_CHANGED, id, other(id, by)));
                return true;
            });
        } catch (IntegrityConstraintViolationException e) {
            return false; // a racing change took it
        }
    }

    @Override
    public void useTotp(TenantScope scope, AccountId id, byte[] secret, AccountId by) {
        if (secret == null || secret.length < 10) {
            throw new IllegalArgumentException("a TOTP secret has at least 80 bits");
        }
        setTwoStep(scope, id, TwoStepMethod.TOTP, box.seal(id.value(), secret), by);
    }

    @Override
    public void useTwoStep(TenantScope scope, AccountId id, TwoStepMethod method, AccountId by) {
        if (method == TwoStepMethod.TOTP) {
            throw new IllegalArgumentException("TOTP needs its secret: useTotp");
        }
        setTwoStep(scope, id, method, null, by);
    }

    private void setTwoStep(TenantScope scope, AccountId id, TwoStepMethod method, String sealed, AccountId by) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            // A new secret starts a new replay guard (the steps of the old secret mean nothing for it).
            found(id, t.update(ACCOUNTS).set(ACCOUNTS.TWO_STEP, method.name())
                    .set(ACCOUNTS.TOTP_SECRET, sealed).set(ACCOUNTS.LAST_TOTP_STEP, Totp.NEVER)
                    .where(ACCOUNTS.ID.eq(id.value()), inScope(scope)).execute());
            insertAudit(t, AuditEntry.twoStepChanged(clock.instant(), id, other(id, by), method));
        });
    }

    @Override
    public Optional<byte[]> totpSecret(AccountId id) {
        return db.select(ACCOUNTS.TOTP_SECRET).from(ACCOUNTS)
                .where(ACCOUNTS.ID.eq(id.value()), ACCOUNTS.TWO_STEP.eq(TwoStepMethod.TOTP.name()))
                .fetchOptional(ACCOUNTS.TOTP_SECRET).map(sealed -> box.open(id.value(), sealed));
    }

    @Override
    public void unlock(TenantScope scope, AccountId id, AccountId by) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            found(id, t.update(ACCOUNTS).set(ACCOUNTS.FAILURES, 0)
                    .set(ACCOUNTS.LOCKED_UNTIL, (java.time.OffsetDateTime) null)
                    .where(ACCOUNTS.ID.eq(id.value()), inScope(scope)).execute());
            insertAudit(t, AuditEntry.unlocked(clock.instant(), id, other(id, by)));
        });
    }

    /** The kind of a phone change in {@code account_audit}; not (yet) an {@link AuditEntry.Kind}. */
    static final String PHONE_CHANGED = "PHONE_CHANGED";

    @Override
    public void setPhone(TenantScope scope, AccountId id, String phone, AccountId by) {
        String detail = phone == null ? "removed" : SqlSmsOutbox.masked(SqlSmsOutbox.phone(phone));
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            found(id, t.update(ACCOUNTS).set(ACCOUNTS.PHONE, phone).where(ACCOUNTS.ID.eq(id.value()), inScope(scope)).execute());
            AccountId actor = other(id, by);
            t.insertInto(ACCOUNT_AUDIT)
                    .set(ACCOUNT_AUDIT.AT, Times.column(clock.instant()))
                    .set(ACCOUNT_AUDIT.KIND, PHONE_CHANGED)
                    .set(ACCOUNT_AUDIT.ACCOUNT_ID, id.value())
                    .set(ACCOUNT_AUDIT.CUSTOMER_ID, DSL.field(DSL.select(ACCOUNTS.CUSTOMER_ID).from(ACCOUNTS).where(ACCOUNTS.ID.eq(id.value()))))
                    .set(ACCOUNT_AUDIT.ACTOR_ID, actor == null ? null : actor.value())
                    .set(ACCOUNT_AUDIT.DETAIL, detail)
                    .execute();
        });
    }

    @Override
    public Optional<String> phone(AccountId id) {
        return db.select(ACCOUNTS.PHONE).from(ACCOUNTS).where(ACCOUNTS.ID.eq(id.value())).fetchOptional(ACCOUNTS.PHONE)
                .flatMap(Optional::ofNullable);
    }

    @Override
    public void audit(AuditEntry entry) {
        insertAudit(db, entry);
    }

    @Override
    public void auditCustomerView(AccountId viewer, CustomerId customer, Instant at, String clientAddress) {
        // Checked like AuditEntry does, so a forged address cannot reach the log.
        AuditEntry checked = new AuditEntry(at, AuditEntry.Kind.CUSTOMER_VIEWED, viewer, null, null, null, null, clientAddress);
        db.insertInto(ACCOUNT_AUDIT)
                .set(ACCOUNT_AUDIT.AT, Times.column(checked.at()))
                .set(ACCOUNT_AUDIT.KIND, checked.kind().name())
                .set(ACCOUNT_AUDIT.ACCOUNT_ID, viewer.value())
                .set(ACCOUNT_AUDIT.CUSTOMER_ID, customer.value())
                .set(ACCOUNT_AUDIT.CLIENT_ADDRESS, checked.clientAddress())
                .execute();
    }

    @Override
    public List<AuditEntry> audit(TenantScope scope, Optional<AccountId> account, Instant before, int limit) {
        // Kinds AuditEntry knows (PHONE_CHANGED rows appear here once AuditEntry.Kind has it).
        Condition c = Scopes.customers(ACCOUNT_AUDIT.CUSTOMER_ID, scope)
                .and(ACCOUNT_AUDIT.KIND.in(java.util.Arrays.stream(AuditEntry.Kind.values()).map(Enum::name).toList()));
        if (account.isPresent()) {
            c = c.and(ACCOUNT_AUDIT.ACCOUNT_ID.eq(account.get().value()));
        }
        if (before != null) {
            c = c.and(ACCOUNT_AUDIT.AT.lt(Times.column(before)));
        }
        return db.selectFrom(ACCOUNT_AUDIT).where(c).orderBy(ACCOUNT_AUDIT.AT.desc(), ACCOUNT_AUDIT.ID.desc())
                .limit(Math.max(1, Math.min(limit, 1000))).fetch(SqlAccounts::entry);
    }

    private Condition inScope(TenantScope scope) {
        return Scopes.customers(ACCOUNTS.CUSTOMER_ID, scope);
    }

    /** One row updated, or the account is not in the scope (or does not exist): the same answer. */
    private static void found(AccountId id, int updated) {
        if (updated != 1) {
            throw notFound(id);
        }
    }

    private static void clearThrottle(DSLContext t, AccountId id) {
        if (t.update(ACCOUNTS).set(ACCOUNTS.FAILURES, 0).set(ACCOUNTS.LOCKED_UNTIL, (java.time.OffsetDateTime) null)
                .where(ACCOUNTS.ID.eq(id.value())).execute() != 1) {
            throw notFound(id);
        }
    }

    private static IllegalArgumentException notFound(AccountId id) {
        return new IllegalArgumentException(id + " not found");
    }

    private static AccountId other(AccountId account, AccountId by) {
        return by == null || by.equals(account) ? null : by;
    }

    private static String loginId(String typed) {
        if (LoginId.check(typed).isPresent()) {
            throw new IllegalArgumentException(LoginId.Problem.FORM.en());
        }
        return LoginId.normalise(typed);
    }

    private static void insertAudit(DSLContext t, AuditEntry e) {
        Long account = e.account() == null ? null : e.account().value();
        t.insertInto(ACCOUNT_AUDIT)
                .set(ACCOUNT_AUDIT.AT, Times.column(e.at()))
                .set(ACCOUNT_AUDIT.KIND, e.kind().name())
                .set(ACCOUNT_AUDIT.ACCOUNT_ID, account)
                // The account's customer, copied so the log is scoped like every other read.
                .set(ACCOUNT_AUDIT.CUSTOMER_ID, account == null ? DSL.val((Long) null)
                        : DSL.field(DSL.select(ACCOUNTS.CUSTOMER_ID).from(ACCOUNTS).where(ACCOUNTS.ID.eq(account))))
                .set(ACCOUNT_AUDIT.ACTOR_ID, e.actor() == null ? null : e.actor().value())
                .set(ACCOUNT_AUDIT.REASON, e.reason() == null ? null : e.reason().name())
                .set(ACCOUNT_AUDIT.METHOD, e.method() == null ? null : e.method().name())
                .set(ACCOUNT_AUDIT.LOCKED_UNTIL, e.lockedUntil() == null ? null : Times.column(e.lockedUntil()))
                .set(ACCOUNT_AUDIT.CLIENT_ADDRESS, e.clientAddress())
                .execute();
    }

    private Account account(AccountsRecord r) {
        AccountRole role = AccountRole.valueOf(r.getRole());
        AccountScope scope = switch (role) {
            case CUSTOMER_USER -> new AccountScope.OfCustomer(r.getCustomerId());
            case RESELLER_STAFF -> new AccountScope.OfReseller(r.getResellerId());
            case OPERATOR -> new AccountScope.Everything();
        };
        // The secret reference is the sealed value: useless without the key, opened by totpSecret().
        return new Account(new AccountId(r.getId()), r.getLoginId(), r.getDisplayName(), role, scope, r.getPasswordHash(),
                TwoStepMethod.valueOf(r.getTwoStep()), r.getTotpSecret(), r.getFailures(), Times.instant(r.getLockedUntil()),
                r.getMustChangePassword(), r.getLastTotpStep());
    }

    private static AuditEntry entry(AccountAuditRecord r) {
        return new AuditEntry(Times.instant(r.getAt()), AuditEntry.Kind.valueOf(r.getKind()),
                r.getAccountId() == null ? null : new AccountId(r.getAccountId()),
                r.getActorId() == null ? null : new AccountId(r.getActorId()),
                r.getReason() == null ? null : AuditEntry.Reason.valueOf(r.getReason()),
                r.getMethod() == null ? null : TwoStepMethod.valueOf(r.getMethod()),
                Times.instant(r.getLockedUntil()), r.getClientAddress());
    }
}
