package org.omamori.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.omamori.accounts.AuditEntry.Kind;
import org.omamori.accounts.AuditEntry.Reason;

class AccountTest {

    static final String HASH = "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    final Instant t0 = Instant.parse("2026-12-05T09:00:00Z");

    @Test
    void anIssuedAccountMustChangeItsPasswordAndHasNoSecondStep() {
        Account a = Account.issued(new AccountId(7), "tmp-abc", "山田 太郎", new AccountScope.OfCustomer(3), HASH);
        assertThat(a.role()).isEqualTo(AccountRole.CUSTOMER_USER);
        assertThat(a.mustChangePassword()).isTrue();
        assertThat(a.twoStep()).isEqualTo(TwoStepMethod.NONE);
        assertThat(a.lastTotpStep()).isEqualTo(Totp.NEVER);
        assertThat(a.throttle()).isEqualTo(LoginThrottle.State.CLEAN);
        assertThat(new AccountScope.OfReseller(1).role()).isEqualTo(AccountRole.RESELLER_STAFF);
        assertThat(new AccountScope.Everything().role()).isEqualTo(AccountRole.OPERATOR);
    }

    @Test
    void roleAndScopeMustAgree() {
        assertThatThrownBy(() -> new Account(new AccountId(1), "x", "x", AccountRole.OPERATOR, new AccountScope.OfCustomer(1),
                HASH, TwoStepMethod.NONE, null, 0, null, false, Totp.NEVER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Account(new AccountId(1), "x", "x", AccountRole.OPERATOR, new AccountScope.Everything(),
                HASH, TwoStepMethod.TOTP, null, 0, null, false, Totp.NEVER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNamesNoHashNoSecretNoLoginId() {
        Account a = Account.issued(new AccountId(7), "yamada", "山田", new AccountScope.OfCustomer(3), HASH)
                .withTwoStep(TwoStepMethod.TOTP, "totp-secret-ref-42");
        assertThat(a.toString()).doesNotContain(HASH, "argon2", "totp-secret-ref-42", "yamada", "山田").contains("TOTP");
        assertThat(TemporaryCredentials.issue(new SecureRandom()).toString()).contains("password hidden");
    }

    @Test
    void withersKeepTheRest() {
        Account a = Account.issued(new AccountId(7), "tmp-abc", "山田", new AccountScope.OfCustomer(3), HASH);
        Account b = a.withLoginId("yamada").withPassword("$new", false).withTwoStep(TwoStepMethod.TOTP, "ref")
                .withLastTotpStep(100).withThrottle(new LoginThrottle.State(2, null));
        assertThat(b).isEqualTo(new Account(new AccountId(7), "yamada", "山田", AccountRole.CUSTOMER_USER,
                new AccountScope.OfCustomer(3), "$new", TwoStepMethod.TOTP, "ref", 2, null, false, 100));
        // A new method or secret restarts the replay guard; SMS keeps no TOTP secret.
        assertThat(b.withTwoStep(TwoStepMethod.SMS, "ref")).satisfies(c -> {
            assertThat(c.totpSecretRef()).isNull();
            assertThat(c.lastTotpStep()).isEqualTo(Totp.NEVER);
        });
    }

    @Test
    void chosenLoginIds() {
        assertThat(LoginId.check("Yamada.Taro")).isEmpty();
        assertThat(LoginId.check("ｙａｍａｄａ")).isEmpty();
        assertThat(LoginId.normalise(" Ｙamada@Example.jp ")).isEqualTo("yamada@example.jp");
        for (String bad : new String[] {null, "abc", ".yamada", "山田太郎", "a b c d", "x".repeat(65)}) {
            assertThat(LoginId.check(bad)).as(String.valueOf(bad)).contains(LoginId.Problem.FORM);
        }
        assertThat(LoginId.Problem.TAKEN.ja()).contains("すでに使われています");
    }

    @Test
    void temporaryCredentialsAreTypableAndStrongEnough() {
        TemporaryCredentials c = TemporaryCredentials.issue(new SecureRandom());
        assertThat(c.loginId()).matches("tmp-[a-z2-9]{10}");
        assertThat(c.password()).hasSize(16).doesNotContain("0", "O", "1", "l", "I");
        assertThat(LoginId.check(c.loginId())).isEmpty();
        assertThat(PasswordPolicy.standard().check(c.password(), c.loginId()))
                .doesNotContain(PasswordPolicy.Violation.TOO_SHORT, PasswordPolicy.Violation.CONTAINS_USER_ID);
    }

    @Test
    void auditEntriesCarryOnlyKindsIdsTimesAndAddresses() {
        AccountId a = new AccountId(7);
        assertThat(AuditEntry.signInFailed(t0, null, Reason.UNKNOWN_LOGIN, "192.0.2.1").account()).isNull();
        assertThat(AuditEntry.locked(t0, a, t0.plusSeconds(60), "2001:db8::1").lockedUntil()).isEqualTo(t0.plusSeconds(60));
        assertThat(AuditEntry.twoStepChanged(t0, a, new AccountId(9), TwoStepMethod.NONE).actor()).isEqualTo(new AccountId(9));
        assertThat(AuditEntry.of(t0, Kind.PASSWORD_CHANGED, a, null).kind()).isEqualTo(Kind.PASSWORD_CHANGED);
        assertThatThrownBy(() -> AuditEntry.signInFailed(t0, null, Reason.WRONG_PASSWORD, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.of(t0, Kind.SIGN_IN_FAILED, a, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.of(t0, Kind.TWO_STEP_CHANGED, a, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.signInOk(t0, a, "hunter2 my password")).isInstanceOf(IllegalArgumentException.class);
    }
}
