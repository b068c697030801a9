package org.omamori.portal;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.omamori.accounts.Account;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AuditEntry;
import org.omamori.accounts.LoginId;
import org.omamori.accounts.LoginThrottle;
import org.omamori.accounts.PasswordHasher;
import org.omamori.accounts.PasswordPolicy;
import org.omamori.accounts.Totp;
import org.omamori.accounts.TwoStepMethod;
import org.omamori.store.Accounts;
import org.omamori.store.TenantScope;

/**
 * The sign-in rules of docs/accounts.md and docs/portal.md as plain Java (the pages only call
 * these): user ID and password, the lock after repeated failures, the second step (authenticator
 * app or SMS), and the first sign-in where the user chooses his own user ID, password and second
 * step. Every outcome is audited by the store; no secret, password or code reaches a log.
 */
public final class SignIn {

    /** How long an SMS code is valid, and how many wrong tries it survives. */
    static final Duration SMS_VALID = Duration.ofMinutes(5);
    static final int SMS_TRIES = 3;

    private final Accounts accounts;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final LoginThrottle throttle;
    private final SmsGateway sms;
    private final Clock clock;
    private final SecureRandom random;
    private final String issuer;

    public SignIn(Accounts accounts, PasswordHasher hasher, PasswordPolicy policy, LoginThrottle throttle, SmsGateway sms,
            Clock clock, SecureRandom random, String issuer) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.sms = Objects.requireNonNull(sms, "sms");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** Where a sign-in stands after a step. */
    public sealed interface Outcome {
    }

    /** Wrong user ID, password or code: the page says only that (never which). */
    public record Failed() implements Outcome {
    }

    /** Locked after repeated failures, until then. */
    public record Locked(Instant until) implements Outcome {
    }

    /** Password right on an issued account: the first sign-in's set-up comes next. */
    public record FirstSignIn(long accountId, String temporaryLoginId) implements Outcome, Serializable {
    }

    /** Password right; a code comes next (for SMS it was just sent). */
    public record CodeNeeded(long accountId, TwoStepMethod method, SmsChallenge challenge) implements Outcome, Serializable {
    }

    /** Signed in. */
    public record SignedIn(SessionUser user) implements Outcome {
    }

    /** An SMS code sent and not used yet: only its hash is kept (in the user's session). */
    public record SmsChallenge(String phone, byte[] codeHash, Instant expires, int triesLeft) implements Serializable {

        SmsChallenge tried() {
            return new SmsChallenge(phone, codeHash, expires, triesLeft - 1);
        }

        /** The phone number with all but the last two digits hidden, for the page. */
        public String maskedPhone() {
            return phone.length() <= 2 ? phone : "*".repeat(phone.length() - 2) + phone.substring(phone.length() - 2);
        }
    }

    /** First step: user ID and password. */
    public Outcome password(String loginId, String password, String client) {
        Instant now = clock.instant();
        Optional<Account> found = loginId == null || loginId.isBlank() || loginId.length() > 256 ? Optional.empty()
                : accounts.forSignIn(loginId);
        if (found.isEmpty()) {
            hasher.verifyNobody(password == null ? "" : password); // same work: timing does not tell which IDs exist
            accounts.audit(AuditEntry.signInFailed(now, null, AuditEntry.Reason.UNKNOWN_LOGIN, client));
            return new Failed();
        }
        Account account = found.get();
        if (locked(account, now) instanceof LoginThrottle.Locked l) {
            accounts.audit(AuditEntry.signInFailed(now, account.id(), AuditEntry.Reason.LOCKED, client));
            return new Locked(l.until());
        }
        if (password == null || password.length() > 1024 || !hasher.verify(password, account.passwordHash())) {
            return failure(account.id(), AuditEntry.Reason.WRONG_PASSWORD, client, now);
        }
        if (account.mustChangePassword()) {
            return new FirstSignIn(account.id().value(), account.loginId());
        }
        if (hasher.needsRehash(account.passwordHash())) {
            accounts.changePassword(TenantScope.operator(), account.id(), hasher.hash(password), false, account.id());
        }
        return switch (account.twoStep()) {
            case NONE -> signedIn(account.id(), client, now);
            case TOTP -> new CodeNeeded(account.id().value(), TwoStepMethod.TOTP, null);
            case SMS -> accounts.phone(account.id())
                    .<Outcome>map(phone -> new CodeNeeded(account.id().value(), TwoStepMethod.SMS, sendCode(phone)))
                    .orElseGet(Failed::new);
        };
    }

    /** Second step: the code from the authenticator app or the SMS ({@code challenge}). */
    public Outcome code(CodeNeeded pending, String typed, String client) {
        Instant now = clock.instant();
        AccountId id = new AccountId(pending.accountId());
        Account account = accounts.find(TenantScope.operator(), id).orElse(null);
        if (account == null) {
            return new Failed();
        }
        if (locked(account, now) instanceof LoginThrottle.Locked l) {
            accounts.audit(AuditEntry.signInFailed(now, id, AuditEntry.Reason.LOCKED, client));
            return new Locked(l.until());
        }
        if (pending.method() == TwoStepMethod.TOTP) {
            byte[] secret = accounts.totpSecret(id).orElse(null);
            if (secret == null) {
                return new Failed();
            }
            Totp.Result r = Totp.verify(secret, typed, now, account.lastTotpStep());
            if (r instanceof Totp.Accepted a && accounts.acceptTotpStep(id, a.step())) {
                return signedIn(id, client, now);
            }
            boolean replay = r instanceof Totp.Accepted || r instanceof Totp.Rejected rj && rj.reason() == Totp.Reason.REPLAYED;
            return failure(id, replay ? AuditEntry.Reason.REPLAYED_CODE : AuditEntry.Reason.WRONG_CODE, client, now);
        }
        if (checkSms(pending.challenge(), typed, now)) {
            return signedIn(id, client, now);
        }
        return failure(id, AuditEntry.Reason.WRONG_CODE, client, now);
    }

    /** A new SMS code for a pending sign-in (the "send again" button). */
    public CodeNeeded resend(CodeNeeded pending) {
        if (pending.method() != TwoStepMethod.SMS || pending.challenge() == null) {
            return pending;
        }
        return new CodeNeeded(pending.accountId(), TwoStepMethod.SMS, sendCode(pending.challenge().phone()));
    }

    // ---- first sign-in ----

    /** What is wrong with the chosen user ID and password, in the page's language; empty when both are fine. */
    public List<String> checkNewCredentials(FirstSignIn first, String loginId, String password, String repeated,
            Locale locale) {
        boolean ja = !Locale.ENGLISH.getLanguage().equals(locale.getLanguage());
        List<String> problems = new ArrayList<>();
        Optional<LoginId.Problem> idProblem = LoginId.check(loginId == null ? "" : loginId);
        if (idProblem.isPresent()) {
            problems.add(ja ? idProblem.get().ja() : idProblem.get().en());
        } else if (loginId.toLowerCase(Locale.ROOT).startsWith("tmp-")) {
            problems.add(ja ? "「tmp-」で始まるIDは仮IDです。ご自分のIDを選んでください。" : "IDs starting with \"tmp-\" are temporary. Choose your own.");
        } else {
            Optional<Account> holder = accounts.forSignIn(loginId);
            if (holder.isPresent() && holder.get().id().value() != first.accountId()) {
                problems.add(ja ? LoginId.Problem.TAKEN.ja() : LoginId.Problem.TAKEN.en());
            }
        }
        for (PasswordPolicy.Violation v : policy.check(password == null ? "" : password, loginId == null ? "" : loginId)) {
            problems.add(ja ? v.ja() : v.en());
        }
        if (password != null && !password.equals(repeated)) {
            problems.add(ja ? "確認用のパスワードが一致しません。" : "The two passwords differ.");
        }
        return problems;
    }

    /** A fresh authenticator secret and the URI its QR code shows. */
    public record TotpEnrolment(byte[] secret, String uri) implements Serializable {

        public String typedSecret() {
            String s = org.omamori.accounts.Base32.encode(secret);
            StringBuilder grouped = new StringBuilder();
            for (int i = 0; i < s.length(); i += 4) {
                grouped.append(i == 0 ? "" : " ").append(s, i, Math.min(s.length(), i + 4));
            }
            return grouped.toString();
        }
    }

    public TotpEnrolment enrolTotp(String loginId) {
        byte[] secret = Totp.newSecret(random);
        return new TotpEnrolment(secret, Totp.enrolmentUri(issuer, loginId, secret));
    }

    /** Sends a code to the phone the user gave; null when the number is not a phone number. */
    public SmsChallenge enrolSms(String phone) {
        String p = phone == null ? "" : Normalizer.normalize(phone, Normalizer.Form.NFKC).replaceAll("[\\s-]", "");
        if (p.startsWith("0") && p.length() >= 10 && p.length() <= 11) {
            p = "+81" + p.substring(1); // a Japanese number as people write it
        }
        if (!p.matches("\\+[1-9][0-9]{7,14}")) {
            return null;
        }
        return sendCode(p);
    }

    /** The second step chosen at first sign-in, with the code that proves it works. */
    public sealed interface Choice {
    }

    public record UseTotp(TotpEnrolment enrolment, String code) implements Choice {
    }

    public record UseSms(SmsChallenge challenge, String code) implements Choice {
    }

    public record UseNone() implements Choice {
    }

    /**
     * Ends the first sign-in: checks the credentials and the choice's code, then stores user ID,
     * password (no longer temporary) and the second step, and signs in. A wrong code counts as a
     * failed sign-in; nothing is stored then.
     */
    public Outcome finishFirstSignIn(FirstSignIn first, String loginId, String password, Choice choice, String client) {
        Instant now = clock.instant();
        AccountId id = new AccountId(first.accountId());
        Account account = accounts.find(TenantScope.operator(), id).orElse(null);
        if (account == null || !account.mustChangePassword()) {
            return new Failed();
        }
        if (locked(account, now) instanceof LoginThrottle.Locked l) {
            return new Locked(l.until());
        }
        if (!checkNewCredentials(first, loginId, password, password, Locale.JAPANESE).isEmpty()) {
            return new Failed();
        }
        long totpStep = Totp.NEVER;
        switch (choice) {
            case UseTotp t -> {
                if (!(Totp.verify(t.enrolment().secret(), t.code(), now, Totp.NEVER) instanceof Totp.Accepted a)) {
                    return failure(id, AuditEntry.Reason.WRONG_CODE, client, now);
                }
                totpStep = a.step();
            }
            case UseSms s -> {
                if (!checkSms(s.challenge(), s.code(), now)) {
                    return failure(id, AuditEntry.Reason.WRONG_CODE, client, now);
                }
            }
            case UseNone n -> {
            }
        }
        TenantScope self = TenantScope.operator();
        if (!accounts.changeLoginId(self, id, loginId, id)) {
            return new Failed();
        }
        accounts.changePassword(self, id, hasher.hash(password), false, id);
        switch (choice) {
            case UseTotp t -> {
                accounts.useTotp(self, id, t.enrolment().secret(), id);
                accounts.acceptTotpStep(id, totpStep); // the enrolment code cannot be used again
            }
            case UseSms s -> {
                accounts.setPhone(self, id, s.challenge().phone(), id);
                accounts.useTwoStep(self, id, TwoStepMethod.SMS, id);
            }
            case UseNone n -> accounts.useTwoStep(self, id, TwoStepMethod.NONE, id);
        }
        return signedIn(id, client, now);
    }

    /**
     * A signed-in user changes his own second step (on the account page), proved by a code as at
     * first sign-in; a wrong code counts as a failure. True when stored.
     */
    public boolean changeTwoStep(SessionUser user, Choice choice, String client) {
        Instant now = clock.instant();
        AccountId id = user.account();
        TenantScope self = TenantScope.operator(); // the user's own account, found by its id
        switch (choice) {
            case UseTotp t -> {
                if (!(Totp.verify(t.enrolment().secret(), t.code(), now, Totp.NEVER) instanceof Totp.Accepted a)) {
                    failure(id, AuditEntry.Reason.WRONG_CODE, client, now);
                    return false;
                }
                accounts.useTotp(self, id, t.enrolment().secret(), id);
                accounts.acceptTotpStep(id, a.step());
            }
            case UseSms s -> {
                if (!checkSms(s.challenge(), s.code(), now)) {
                    failure(id, AuditEntry.Reason.WRONG_CODE, client, now);
                    return false;
                }
                accounts.setPhone(self, id, s.challenge().phone(), id);
                accounts.useTwoStep(self, id, TwoStepMethod.SMS, id);
            }
            case UseNone n -> accounts.useTwoStep(self, id, TwoStepMethod.NONE, id);
        }
        return true;
    }

    // ---- helpers ----

    private LoginThrottle.Decision locked(Account a, Instant now) {
        return throttle.check(new LoginThrottle.State(a.failures(), a.lockedUntil()), now);
    }

    private Outcome failure(AccountId id, AuditEntry.Reason reason, String client, Instant now) {
        LoginThrottle.Outcome o = accounts.recordFailure(id, throttle, now, reason, client);
        return o.lockedNow() ? new Locked(o.next().lockedUntil()) : new Failed();
    }

    private Outcome signedIn(AccountId id, String client, Instant now) {
        accounts.recordSuccess(id, now, client);
        return new SignedIn(SessionUser.of(accounts.find(TenantScope.operator(), id).orElseThrow()));
    }

    private SmsChallenge sendCode(String phone) {
        String code = String.format("%06d", random.nextInt(1_000_000));
        sms.send(phone, "【" + issuer + "】確認コード: " + code + "（5分間有効）。このコードを他人に教えないでください。");
        return new SmsChallenge(phone, sha256(code), clock.instant().plus(SMS_VALID), SMS_TRIES);
    }

    /** True when {@code typed} is the challenge's code and it is still valid; spends a try otherwise. */
    private boolean checkSms(SmsChallenge c, String typed, Instant now) {
        if (c == null || c.triesLeft() <= 0 || !now.isBefore(c.expires())) {
            return false;
        }
        String code = typed == null ? "" : Normalizer.normalize(typed, Normalizer.Form.NFKC).replace(" ", "");
        return code.matches("[0-9]{6}") && MessageDigest.isEqual(sha256(code), c.codeHash());
    }

    /** One wrong try spent on a challenge (the page keeps the returned one). */
    public static SmsChallenge spent(SmsChallenge c) {
        return c == null ? null : c.tried();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
