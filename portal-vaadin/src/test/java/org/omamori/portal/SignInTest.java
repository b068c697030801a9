package org.omamori.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.accounts.AuditEntry;
import org.omamori.accounts.Totp;
import org.omamori.accounts.TwoStepMethod;
import org.omamori.store.TenantScope;

/** The sign-in rules without a browser, on a real store (H2). */
class SignInTest {

    @TempDir
    Path dir;

    World world;
    SignIn signIn;

    @BeforeEach
    void open() {
        world = new World(dir);
        signIn = world.portal.signIn();
    }

    @AfterEach
    void close() {
        world.close();
    }

    SignIn.FirstSignIn first(String tmpId, String tmpPassword) {
        world.issue(world.minato, tmpId, tmpPassword, "山田 太郎");
        SignIn.Outcome o = signIn.password(tmpId, tmpPassword, "192.0.2.1");
        assertThat(o).isInstanceOf(SignIn.FirstSignIn.class);
        return (SignIn.FirstSignIn) o;
    }

    @Test
    void anUnknownIdAndAWrongPasswordLookTheSame() {
        assertThat(signIn.password("nobody", "whatever-password", "192.0.2.1")).isInstanceOf(SignIn.Failed.class);
        assertThat(signIn.password("operator", "wrong-password", "192.0.2.1")).isInstanceOf(SignIn.Failed.class);
        List<AuditEntry> audit = world.portal.accounts().audit(TenantScope.operator(), java.util.Optional.empty(), null, 10);
        assertThat(audit).extracting(AuditEntry::reason).contains(AuditEntry.Reason.UNKNOWN_LOGIN, AuditEntry.Reason.WRONG_PASSWORD);
    }

    @Test
    void fiveFailuresLockEvenTheRightPasswordOutForAMinute() {
        for (int i = 0; i < 4; i++) {
            assertThat(signIn.password("operator", "wrong-" + i, null)).isInstanceOf(SignIn.Failed.class);
        }
        assertThat(signIn.password("operator", "wrong-5", null)).isInstanceOf(SignIn.Locked.class);
        assertThat(signIn.password("operator", World.PASSWORD, null)).isInstanceOf(SignIn.Locked.class);
        world.clock.add(Duration.ofSeconds(61));
        assertThat(signIn.password("operator", World.PASSWORD, null)).isInstanceOf(SignIn.SignedIn.class);
    }

    @Test
    void newCredentialsAreCheckedInTheUsersLanguage() {
        SignIn.FirstSignIn f = first("tmp-aaaa000001", "Tmp-Pass-abcd-2345");
        assertThat(signIn.checkNewCredentials(f, "operator", "short", "short", Locale.JAPANESE))
                .anyMatch(p -> p.contains("すでに使われています")).anyMatch(p -> p.contains("12文字以上"));
        assertThat(signIn.checkNewCredentials(f, "tmp-mine", "Long-Enough-Pass-99", "Long-Enough-Pass-99", Locale.ENGLISH))
                .anyMatch(p -> p.contains("temporary"));
        assertThat(signIn.checkNewCredentials(f, "yamada", "Long-Enough-Pass-99", "Long-Enough-Pass-98", Locale.ENGLISH))
                .containsExactly("The two passwords differ.");
        assertThat(signIn.checkNewCredentials(f, "yamada", "Long-Enough-Pass-99", "Long-Enough-Pass-99", Locale.JAPANESE)).isEmpty();
    }

    @Test
    void totpEnrolmentStoresNothingUntilTheCodeIsRightAndTheCodeIsUsedOnce() {
        SignIn.FirstSignIn f = first("tmp-aaaa000002", "Tmp-Pass-abcd-2345");
        SignIn.TotpEnrolment e = signIn.enrolTotp("yamada");
        assertThat(e.uri()).startsWith("otpauth://totp/Omamori:yamada?secret=");
        String right = Totp.code(e.secret(), Totp.step(world.clock.instant()));
        String wrong = right.equals("123456") ? "654321" : "123456";
        assertThat(signIn.finishFirstSignIn(f, "yamada", "Long-Enough-Pass-99", new SignIn.UseTotp(e, wrong), null))
                .isInstanceOf(SignIn.Failed.class);
        assertThat(world.portal.accounts().forSignIn("yamada")).isEmpty();
        assertThat(signIn.finishFirstSignIn(f, "yamada", "Long-Enough-Pass-99", new SignIn.UseTotp(e, right), null))
                .isInstanceOf(SignIn.SignedIn.class);
        // The enrolment code cannot sign in again.
        SignIn.Outcome next = signIn.password("yamada", "Long-Enough-Pass-99", null);
        assertThat(next).isInstanceOfSatisfying(SignIn.CodeNeeded.class, c -> assertThat(c.method()).isEqualTo(TwoStepMethod.TOTP));
        assertThat(signIn.code((SignIn.CodeNeeded) next, right, null)).isInstanceOf(SignIn.Failed.class);
        world.clock.add(Duration.ofSeconds(30));
        assertThat(signIn.code((SignIn.CodeNeeded) next, Totp.code(e.secret(), Totp.step(world.clock.instant())), null))
                .isInstanceOf(SignIn.SignedIn.class);
    }

    @Test
    void smsCodesExpireAndAllowThreeTries() {
        SignIn.FirstSignIn f = first("tmp-aaaa000003", "Tmp-Pass-abcd-2345");
        assertThat(signIn.enrolSms("not a phone")).isNull();
        SignIn.SmsChallenge c = signIn.enrolSms("０９０－１２３４－５６７８"); // typed full-width
        assertThat(c.phone()).isEqualTo("+819012345678");
        assertThat(c.maskedPhone()).endsWith("78").startsWith("*");
        String code = lastCode("+819012345678");
        SignIn.SmsChallenge spent = c;
        for (int i = 0; i < SignIn.SMS_TRIES; i++) {
            spent = SignIn.spent(spent);
        }
        assertThat(signIn.finishFirstSignIn(f, "yamada2", "Long-Enough-Pass-99", new SignIn.UseSms(spent, code), null))
                .isInstanceOf(SignIn.Failed.class);
        world.clock.add(SignIn.SMS_VALID.plusSeconds(1));
        assertThat(signIn.finishFirstSignIn(f, "yamada2", "Long-Enough-Pass-99", new SignIn.UseSms(c, code), null))
                .isInstanceOf(SignIn.Failed.class);
        SignIn.SmsChallenge fresh = signIn.enrolSms("+819012345678");
        assertThat(signIn.finishFirstSignIn(f, "yamada2", "Long-Enough-Pass-99",
                new SignIn.UseSms(fresh, lastCode("+819012345678")), null)).isInstanceOf(SignIn.SignedIn.class);
        assertThat(world.portal.accounts().forSignIn("yamada2").orElseThrow().twoStep()).isEqualTo(TwoStepMethod.SMS);
    }

    private String lastCode(String phone) {
        String text = world.store.smsOutbox().latest(phone, 1).getFirst().text();
        var m = java.util.regex.Pattern.compile("([0-9]{6})").matcher(text);
        assertThat(m.find()).isTrue();
        assertThat(text).doesNotContain(phone);
        return m.group(1);
    }
}
