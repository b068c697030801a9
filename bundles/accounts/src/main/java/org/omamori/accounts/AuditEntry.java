package org.omamori.accounts;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the account audit log (issue 14: sign-in, lock, unlock and 2FA changes). Every field
 * is a fixed kind, an id, a time or an address: there is no free text, so no password, code,
 * secret or typed user ID (people type passwords into the user-ID field) can end up here.
 *
 * @param account the account concerned; null only for a failed sign-in with an unknown user ID
 * @param actor who did it when not the account itself (staff unlocking, resetting); else null
 * @param reason why a sign-in failed; null for other kinds
 * @param method the new two-step method for {@link Kind#TWO_STEP_CHANGED}; else null
 * @param lockedUntil the end of the lock for {@link Kind#LOCKED}; else null
 * @param clientAddress the client's IP address as the portal saw it, or null
 */
public record AuditEntry(Instant at, Kind kind, AccountId account, AccountId actor, Reason reason, TwoStepMethod method,
        Instant lockedUntil, String clientAddress) {

    public enum Kind {
        ACCOUNT_CREATED, SIGN_IN_OK, SIGN_IN_FAILED, LOCKED, UNLOCKED, PASSWORD_CHANGED, LOGIN_ID_CHANGED,
        TWO_STEP_CHANGED,
        /** The SMS phone number was set or removed (the store keeps it masked beside the entry). */
        PHONE_CHANGED,
        /** Reseller staff or an operator looked at a customer's pages (the account is the viewer). */
        CUSTOMER_VIEWED
    }

    public enum Reason {
        UNKNOWN_LOGIN, WRONG_PASSWORD, WRONG_CODE, REPLAYED_CODE, LOCKED
    }

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        if (account == null && !(kind == Kind.SIGN_IN_FAILED && reason == Reason.UNKNOWN_LOGIN)) {
            throw new IllegalArgumentException("only a sign-in with an unknown user ID has no account");
        }
        if ((reason != null) != (kind == Kind.SIGN_IN_FAILED)) {
            throw new IllegalArgumentException("a reason goes with SIGN_IN_FAILED and only with it");
        }
        if ((method != null) != (kind == Kind.TWO_STEP_CHANGED)) {
            throw new IllegalArgumentException("a method goes with TWO_STEP_CHANGED and only with it");
        }
        if ((lockedUntil != null) != (kind == Kind.LOCKED)) {
            throw new IllegalArgumentException("lockedUntil goes with LOCKED and only with it");
        }
        if (clientAddress != null && !clientAddress.matches("[0-9A-Fa-f.:%\\[\\]a-zA-Z0-9]{2,64}")) {
            throw new IllegalArgumentException("clientAddress is not an address");
        }
    }

    public static AuditEntry signInOk(Instant at, AccountId account, String clientAddress) {
        return new AuditEntry(at, Kind.SIGN_IN_OK, account, null, null, null, null, clientAddress);
    }

    public static AuditEntry signInFailed(Instant at, AccountId account, Reason reason, String clientAddress) {
        return new AuditEntry(at, Kind.SIGN_IN_FAILED, account, null, reason, null, null, clientAddress);
    }

    public static AuditEntry locked(Instant at, AccountId account, Instant until, String clientAddress) {
        return new AuditEntry(at, Kind.LOCKED, account, null, null, null, until, clientAddress);
    }

    public static AuditEntry unlocked(Instant at, AccountId account, AccountId by) {
        return new AuditEntry(at, Kind.UNLOCKED, account, by, null, null, null, null);
    }

    public static AuditEntry twoStepChanged(Instant at, AccountId account, AccountId by, TwoStepMethod method) {
        return new AuditEntry(at, Kind.TWO_STEP_CHANGED, account, by, null, method, null, null);
    }

    /** A change without further detail: ACCOUNT_CREATED, PASSWORD_CHANGED, LOGIN_ID_CHANGED. */
    public static AuditEntry of(Instant at, Kind kind, AccountId account, AccountId by) {
        return new AuditEntry(at, kind, account, by, null, null, null, null);
    }
}
