package org.omamori.accounts;

import java.time.Instant;
import java.util.Objects;

/**
 * A portal account. {@code passwordHash} is a {@link PasswordHasher} PHC string;
 * {@code totpSecretRef} is the TOTP secret as the store keeps it, sealed (encrypted under the
 * portal's key; useless without it), null unless the method is TOTP. {@code failures} and {@code lockedUntil} are the
 * {@link LoginThrottle.State}; {@code lastTotpStep} the replay guard of {@link Totp#verify}
 * ({@link Totp#NEVER} when no code was accepted yet). {@link #toString()} leaves the hash and the
 * secret reference out, so an account can be logged.
 */
public record Account(AccountId id, String loginId, String displayName, AccountRole role, AccountScope scope,
        String passwordHash, TwoStepMethod twoStep, String totpSecretRef, int failures, Instant lockedUntil,
        boolean mustChangePassword, long lastTotpStep) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(loginId, "loginId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(twoStep, "twoStep");
        if (scope.role() != role) {
            throw new IllegalArgumentException("a " + role + " cannot have the scope " + scope);
        }
        if (twoStep == TwoStepMethod.TOTP && totpSecretRef == null) {
            throw new IllegalArgumentException("TOTP needs a secret");
        }
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be >= 0");
        }
    }

    /** A new account as issued at contract: a temporary password that must be changed, no two-step method yet. */
    public static Account issued(AccountId id, String loginId, String displayName, AccountScope scope, String passwordHash) {
        return new Account(id, loginId, displayName, scope.role(), scope, passwordHash, TwoStepMethod.NONE, null, 0,
                null, true, Totp.NEVER);
    }

    public LoginThrottle.State throttle() {
        return new LoginThrottle.State(failures, lockedUntil);
    }

    public Account withThrottle(LoginThrottle.State state) {
        return new Account(id, loginId, displayName, role, scope, passwordHash, twoStep, totpSecretRef,
                state.failures(), state.lockedUntil(), mustChangePassword, lastTotpStep);
    }

    /** A new password the user chose (no change required any more), or a reset (change required). */
    public Account withPassword(String newHash, boolean mustChange) {
        return new Account(id, loginId, displayName, role, scope, newHash, twoStep, totpSecretRef, failures,
                lockedUntil, mustChange, lastTotpStep);
    }

    public Account withLoginId(String newLoginId) {
        return new Account(id, newLoginId, displayName, role, scope, passwordHash, twoStep, totpSecretRef, failures,
                lockedUntil, mustChangePassword, lastTotpStep);
    }

    /** Another two-step method; a new TOTP secret starts a new replay guard. */
    public Account withTwoStep(TwoStepMethod method, String secretRef) {
        return new Account(id, loginId, displayName, role, scope, passwordHash, method,
                method == TwoStepMethod.TOTP ? secretRef : null, failures, lockedUntil, mustChangePassword, Totp.NEVER);
    }

    public Account withLastTotpStep(long step) {
        return new Account(id, loginId, displayName, role, scope, passwordHash, twoStep, totpSecretRef, failures,
                lockedUntil, mustChangePassword, step);
    }

    @Override
    public String toString() {
        return "Account[" + id.value() + " " + role + " " + scope + " twoStep=" + twoStep
                + (lockedUntil != null ? " lockedUntil=" + lockedUntil : "") + "]";
    }
}
