package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.accounts.Account;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountRole;
import org.omamori.accounts.AccountScope;
import org.omamori.accounts.AuditEntry;
import org.omamori.accounts.AuditEntry.Kind;
import org.omamori.accounts.AuditEntry.Reason;
import org.omamori.accounts.Base32;
import org.omamori.accounts.LoginThrottle;
import org.omamori.accounts.Totp;
import org.omamori.accounts.TwoStepMethod;

/**
 * {@link Accounts} proved the same way on every database: subclasses give a fresh one per test.
 * Tenants: reseller R1 with customers C1 and C2, reseller R2 with C3; an account in each customer,
 * a staff member of R1 and an operator.
 */
abstract class AccountsContract {

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    static final String HASH = "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    Store store;
    Accounts accounts;
    ResellerId r1;
    ResellerId r2;
    CustomerId c1;
    CustomerId c2;
    CustomerId c3;
    AccountId a1;
    AccountId a2;
    AccountId a3;
    AccountId staff1;
    AccountId operator;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(settings(), Clock.fixed(T0, ZoneOffset.UTC));
        accounts = store.accounts(KEY);
        Tenants t = store.tenants();
        r1 = t.createReseller("R1");
        r2 = t.createReseller("R2");
        c1 = t.createCustomer(r1, "株式会社いち");
        c2 = t.createCustomer(r1, "株式会社に");
        c3 = t.createCustomer(r2, "株式会社さん");
        operator = accounts.create("operator", "運用者", new AccountScope.Everything(), HASH, null);
        staff1 = accounts.create("staff.r1", "販売店 一郎", new AccountScope.OfReseller(r1.value()), HASH, operator);
        a1 = accounts.create("TMP-aaaa1111", "山田 太郎", new AccountScope.OfCustomer(c1.value()), HASH, staff1);
        a2 = accounts.create("tmp-bbbb2222", "佐藤 花子", new AccountScope.OfCustomer(c2.value()), HASH, staff1);
        a3 = accounts.create("tmp-cccc3333", "鈴木 次郎", new AccountScope.OfCustomer(c3.value()), HASH, operator);
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    @Test
    void anIssuedAccountIsFoundForSignInByItsUserIdInAnyCase() {
        Account a = accounts.forSignIn("tmp-AAAA1111").orElseThrow();
        assertThat(a.id()).isEqualTo(a1);
        assertThat(a.loginId()).isEqualTo("tmp-aaaa1111");
        assertThat(a.role()).isEqualTo(AccountRole.CUSTOMER_USER);
        assertThat(a.scope()).isEqualTo(new AccountScope.OfCustomer(c1.value()));
        assertThat(a.mustChangePassword()).isTrue();
        assertThat(a.twoStep()).isEqualTo(TwoStepMethod.NONE);
        assertThat(a.lastTotpStep()).isEqualTo(Totp.NEVER);
        assertThat(a.passwordHash()).isEqualTo(HASH);
        assertThat(accounts.forSignIn("ｔｍｐ－ａａａａ１１１１")).map(Account::id).contains(a1);
        assertThat(accounts.forSignIn("nobody")).isEmpty();
        assertThat(accounts.forSignIn(null)).isEmpty();
        assertThat(accounts.find(TenantScope.operator(), staff1).orElseThrow().scope()).isEqualTo(new AccountScope.OfReseller(r1.value()));
    }

    @Test
    void creationRefusesTakenIdsBadIdsAndMissingTenants() {
        assertThatThrownBy(() -> accounts.create("Tmp-AAAA1111", "x", new AccountScope.OfCustomer(c2.value()), HASH, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taken");
        assertThatThrownBy(() -> accounts.create("a b", "x", new AccountScope.OfCustomer(c2.value()), HASH, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.create("newuser", "x", new AccountScope.OfCustomer(9999), HASH, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> accounts.create("newuser", "x", new AccountScope.OfReseller(9999), HASH, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThat(accounts.audit(TenantScope.operator(), Optional.of(a1), null, 10))
                .containsExactly(AuditEntry.of(T0, Kind.ACCOUNT_CREATED, a1, staff1));
    }

    @Test
    void noReadReturnsAnotherTenantsAccountsOrAuditLines() {
        assertThat(ids(accounts.list(TenantScope.customer(c1)))).containsExactly(a1);
        assertThat(ids(accounts.list(TenantScope.reseller(r1)))).containsExactlyInAnyOrder(a1, a2);
        assertThat(ids(accounts.list(TenantScope.reseller(r2)))).containsExactly(a3);
        assertThat(ids(accounts.list(TenantScope.operator()))).containsExactlyInAnyOrder(a1, a2, a3, staff1, operator);
        assertThat(accounts.find(TenantScope.customer(c1), a2)).isEmpty();
        assertThat(accounts.find(TenantScope.reseller(r2), a1)).isEmpty();
        assertThat(accounts.find(TenantScope.reseller(r1), staff1)).isEmpty(); // staff accounts: operator only
        assertThat(accounts.find(TenantScope.customer(c1), a1)).isPresent();

        accounts.audit(AuditEntry.signInFailed(T0, null, Reason.UNKNOWN_LOGIN, "192.0.2.7"));
        Function<TenantScope, List<AccountId>> audited = s -> accounts.audit(s, Optional.empty(), null, 100).stream()
                .map(AuditEntry::account).toList();
        assertThat(audited.apply(TenantScope.customer(c1))).containsOnly(a1);
        assertThat(audited.apply(TenantScope.reseller(r1))).containsOnly(a1, a2);
        assertThat(audited.apply(TenantScope.reseller(r2))).containsOnly(a3);
        assertThat(audited.apply(TenantScope.operator())).contains(a1, a2, a3, staff1, operator, null);
        assertThat(accounts.audit(TenantScope.customer(c1), Optional.of(a2), null, 100)).isEmpty();
    }

    @Test
    void noWriteReachesAnAccountOutsideTheActorsScope() {
        List<Runnable> writes = List.of(
                () -> accounts.unlock(TenantScope.reseller(r2), a1, operator),
                () -> accounts.changePassword(TenantScope.customer(c2), a1, "$x", false, a2),
                () -> accounts.useTwoStep(TenantScope.reseller(r2), a1, TwoStepMethod.NONE, null),
                () -> accounts.useTotp(TenantScope.customer(c3), a1, new byte[20], a3),
                () -> accounts.changeLoginId(TenantScope.customer(c2), a1, "stolen-id", a2));
        for (Runnable w : writes) {
            assertThatThrownBy(w::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
        }
        Account unchanged = accounts.find(TenantScope.operator(), a1).orElseThrow();
        assertThat(unchanged.passwordHash()).isEqualTo(HASH);
        assertThat(unchanged.loginId()).isEqualTo("tmp-aaaa1111");
        assertThat(accounts.audit(TenantScope.operator(), Optional.of(a1), null, 10)).extracting(AuditEntry::kind)
                .containsExactly(Kind.ACCOUNT_CREATED);
    }

    @Test
    void failuresLockTheAccountAndAreAuditedSuccessAndUnlockClearIt() {
        LoginThrottle throttle = LoginThrottle.standard();
        LoginThrottle.Outcome last = null;
        for (int i = 0; i < 5; i++) {
            last = accounts.recordFailure(a1, throttle, T0.plusSeconds(i), Reason.WRONG_PASSWORD, "192.0.2.1");
        }
        assertThat(last.lockedNow()).isTrue();
        Account locked = accounts.forSignIn("tmp-aaaa1111").orElseThrow();
        assertThat(locked.throttle()).isEqualTo(new LoginThrottle.State(5, T0.plusSeconds(4 + 60)));
        assertThat(throttle.check(locked.throttle(), T0.plusSeconds(30))).isInstanceOf(LoginThrottle.Locked.class);
        List<AuditEntry> log = accounts.audit(TenantScope.customer(c1), Optional.of(a1), null, 100);
        assertThat(log.getFirst()).isEqualTo(AuditEntry.locked(T0.plusSeconds(4), a1, T0.plusSeconds(64), "192.0.2.1"));
        assertThat(log).filteredOn(e -> e.kind() == Kind.SIGN_IN_FAILED).hasSize(5);

        accounts.unlock(TenantScope.reseller(r1), a1, staff1);
        assertThat(accounts.find(TenantScope.customer(c1), a1).orElseThrow().throttle()).isEqualTo(LoginThrottle.State.CLEAN);
        assertThat(accounts.audit(TenantScope.reseller(r1), Optional.of(a1), T0.plusSeconds(1), 1))
                .containsExactly(AuditEntry.unlocked(T0, a1, staff1));

        accounts.recordFailure(a1, throttle, T0.plusSeconds(100), Reason.WRONG_CODE, null);
        accounts.recordSuccess(a1, T0.plusSeconds(101), "2001:db8::5");
        assertThat(accounts.find(TenantScope.customer(c1), a1).orElseThrow().failures()).isZero();
        assertThat(accounts.audit(TenantScope.customer(c1), Optional.of(a1), T0.plusSeconds(102), 1))
                .containsExactly(AuditEntry.signInOk(T0.plusSeconds(101), a1, "2001:db8::5"));
    }

    @Test
    void parallelFailuresFromSeveralCallersAreAllCounted() throws Exception {
        LoginThrottle lenient = new LoginThrottle(1000, List.of(Duration.ofMinutes(1)));
        List<Callable<Void>> guessers = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            guessers.add(() -> {
                for (int i = 0; i < 10; i++) {
                    accounts.recordFailure(a2, lenient, T0, Reason.WRONG_PASSWORD, null);
                }
                return null;
            });
        }
        runAll(guessers);
        assertThat(accounts.find(TenantScope.operator(), a2).orElseThrow().failures()).isEqualTo(40);
    }

    @Test
    void totpSecretsAreStoredEncryptedAndComeBackOnlyWithTheKey() throws Exception {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        accounts.useTotp(TenantScope.customer(c1), a1, secret, a1);
        Account a = accounts.find(TenantScope.customer(c1), a1).orElseThrow();
        assertThat(a.twoStep()).isEqualTo(TwoStepMethod.TOTP);
        assertThat(accounts.totpSecret(a1)).hasValueSatisfying(s -> assertThat(s).isEqualTo(secret));
        String column = column("SELECT totp_secret FROM accounts WHERE id = " + a1.value());
        assertThat(column).startsWith("v1:").doesNotContain(Base32.encode(secret), "1234567890")
                .isEqualTo(a.totpSecretRef());
        assertThat(accounts.audit(TenantScope.customer(c1), Optional.of(a1), null, 1))
                .containsExactly(AuditEntry.twoStepChanged(T0, a1, null, TwoStepMethod.TOTP));

        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertThatThrownBy(() -> store.accounts(otherKey).totpSecret(a1)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(column);
        // A sealed secret copied onto another account's row does not open there.
        accounts.useTotp(TenantScope.customer(c2), a2, new byte[20], a2);
        execute("UPDATE accounts SET totp_secret = '" + column + "' WHERE id = " + a2.value());
        assertThatThrownBy(() -> accounts.totpSecret(a2)).isInstanceOf(IllegalStateException.class);

        // Staff resetting the two-step verification drops the secret.
        accounts.useTwoStep(TenantScope.reseller(r1), a1, TwoStepMethod.NONE, staff1);
        assertThat(accounts.totpSecret(a1)).isEmpty();
        assertThat(column("SELECT totp_secret FROM accounts WHERE id = " + a1.value())).isNull();
        assertThat(accounts.audit(TenantScope.customer(c1), Optional.of(a1), null, 1))
                .containsExactly(AuditEntry.twoStepChanged(T0, a1, staff1, TwoStepMethod.NONE));
        assertThatThrownBy(() -> store.accounts(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTotpStepIsAcceptedOnceEvenByRacingSignIns() throws Exception {
        accounts.useTotp(TenantScope.customer(c1), a1, new byte[20], a1);
        long step = Totp.step(T0);
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racers.add(() -> accounts.acceptTotpStep(a1, step));
        }
        assertThat(runAll(racers)).containsOnlyOnce(true);
        assertThat(accounts.acceptTotpStep(a1, step - 1)).isFalse();
        assertThat(accounts.acceptTotpStep(a1, step + 1)).isTrue();
        assertThat(accounts.find(TenantScope.customer(c1), a1).orElseThrow().lastTotpStep()).isEqualTo(step + 1);
        // A new secret restarts the guard.
        accounts.useTotp(TenantScope.customer(c1), a1, new byte[20], a1);
        assertThat(accounts.find(TenantScope.customer(c1), a1).orElseThrow().lastTotpStep()).isEqualTo(Totp.NEVER);
    }

    @Test
    void firstSignInChoosesUserIdAndPassword() {
        assertThat(accounts.changeLoginId(TenantScope.customer(c1), a1, "Yamada.Taro", a1)).isTrue();
        assertThat(accounts.changeLoginId(TenantScope.customer(c2), a2, "yamada.taro", a2)).isFalse();
        accounts.changePassword(TenantScope.customer(c1), a1, "$argon2id$new", false, a1);
        Account a = accounts.forSignIn("YAMADA.TARO").orElseThrow();
        assertThat(a.id()).isEqualTo(a1);
        assertThat(a.mustChangePassword()).isFalse();
        assertThat(a.passwordHash()).isEqualTo("$argon2id$new");
        assertThat(accounts.forSignIn("tmp-aaaa1111")).isEmpty();
        assertThat(accounts.audit(TenantScope.customer(c1), Optional.of(a1), null, 10)).extracting(AuditEntry::kind)
                .containsExactlyInAnyOrder(Kind.PASSWORD_CHANGED, Kind.LOGIN_ID_CHANGED, Kind.ACCOUNT_CREATED);
        // Nothing the audit log holds can be a secret: only these columns exist.
        assertThat(Arrays.stream(AuditEntry.class.getRecordComponents()).map(c -> c.getName()).toList())
                .containsExactly("at", "kind", "account", "actor", "reason", "method", "lockedUntil", "clientAddress");
    }

    private static List<AccountId> ids(List<Account> list) {
        return list.stream().map(Account::id).toList();
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private String column(String sql) throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    @Test
    void phoneIsSetWithinTheScopeAndAuditedMasked() {
        assertThat(accounts.phone(a1)).isEmpty();
        accounts.setPhone(TenantScope.customer(c1), a1, "+819012345678", a1);
        assertThat(accounts.phone(a1)).contains("+819012345678");
        accounts.setPhone(TenantScope.reseller(r1), a2, "+819011112222", staff1);
        assertThat(accounts.phone(a2)).contains("+819011112222");
        // Outside the scope: "not found", as for an account that does not exist; nothing changed.
        assertThatThrownBy(() -> accounts.setPhone(TenantScope.customer(c2), a1, "+819099998888", a2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> accounts.setPhone(TenantScope.reseller(r2), a1, "+819099998888", staff1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> accounts.setPhone(TenantScope.operator(), new AccountId(987654), "+819099998888", operator))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
        assertThat(accounts.phone(a1)).contains("+819012345678");
        for (String bad : new String[] {"", "09012345678", "+8190", "+81 90 1234 5678", "+81-90-1234-5678", "+1234567890123456",
                "+８１９０１２３４５６７８"}) {
            assertThatThrownBy(() -> accounts.setPhone(TenantScope.operator(), a1, bad, operator)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("9012345678", "12345678")); // never echoes the number
        }
        accounts.setPhone(TenantScope.operator(), a3, "+819033334444", operator);
        accounts.setPhone(TenantScope.operator(), a3, null, operator);
        assertThat(accounts.phone(a3)).isEmpty();
        assertThat(accounts.phone(new AccountId(987654))).isEmpty();

        // Audited (account, actor, customer scope) with the number masked but its last 2 digits; never in clear.
        org.jooq.DSLContext db = org.jooq.impl.DSL.using(store.dataSource(),
                store.database().equals("H2") ? org.jooq.SQLDialect.H2 : org.jooq.SQLDialect.POSTGRES);
        List<String> rows = db.fetch("SELECT account_id, actor_id, customer_id, detail FROM account_audit WHERE kind = 'PHONE_CHANGED' ORDER BY id")
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3));
        assertThat(rows).containsExactly(
                a1.value() + " null " + c1.value() + " +**********78",
                a2.value() + " " + staff1.value() + " " + c2.value() + " +**********22",
                a3.value() + " " + operator.value() + " " + c3.value() + " +**********44",
                a3.value() + " " + operator.value() + " " + c3.value() + " removed");
        assertThat(db.fetch("SELECT * FROM account_audit").formatCSV()).doesNotContain("9012345678", "9011112222", "9033334444");
        // The audit reads show the change (without the number: AuditEntry has no field for it).
        assertThat(accounts.audit(TenantScope.customer(c1), Optional.of(a1), null, 100))
                .extracting(AuditEntry::kind).contains(AuditEntry.Kind.PHONE_CHANGED);
    }

    @Test
    void aStaffViewOfACustomerIsAuditedUnderThatCustomer() {
        accounts.auditCustomerView(staff1, c1, T0, "192.0.2.7");
        List<AuditEntry> seen = accounts.audit(TenantScope.customer(c1), Optional.empty(), null, 100);
        assertThat(seen).filteredOn(e -> e.kind() == Kind.CUSTOMER_VIEWED).singleElement()
                .satisfies(e -> {
                    assertThat(e.account()).isEqualTo(staff1);
                    assertThat(e.clientAddress()).isEqualTo("192.0.2.7");
                });
        assertThat(accounts.audit(TenantScope.reseller(r1), Optional.empty(), null, 100)).anyMatch(e -> e.kind() == Kind.CUSTOMER_VIEWED);
        assertThat(accounts.audit(TenantScope.customer(c2), Optional.empty(), null, 100)).noneMatch(e -> e.kind() == Kind.CUSTOMER_VIEWED);
        assertThatThrownBy(() -> accounts.auditCustomerView(staff1, c1, T0, "<script>"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
