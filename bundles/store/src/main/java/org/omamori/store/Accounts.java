package org.omamori.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.omamori.accounts.Account;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountScope;
import org.omamori.accounts.AuditEntry;
import org.omamori.accounts.LoginThrottle;
import org.omamori.accounts.TwoStepMethod;

/**
 * Portal accounts and their audit log (tables {@code accounts}, {@code account_audit}; the rules are
 * {@code org.omamori.accounts}, docs/accounts.md). Every read but {@link #forSignIn} takes a
 * {@link TenantScope}: a customer sees its own accounts, a reseller its customers' accounts, the
 * operator every account (staff and operator accounts are seen by the operator only). A write on
 * another account (unlock, reset) takes the actor's scope too and finds nothing outside it.
 * A write outside the scope throws {@link IllegalArgumentException} ("not found"), as for an id that
 * does not exist. Login ids are kept normalised ({@code LoginId.normalise}). The TOTP secret is stored encrypted
 * (AES-256-GCM, the account id as associated data) and comes back only through {@link #totpSecret}.
 */
public interface Accounts {

    /**
     * Issues an account (contract: a temporary user ID, a temporary password's hash, must change it)
     * and audits ACCOUNT_CREATED.
     *
     * @throws IllegalArgumentException when the login id is taken or the customer or reseller does not exist
     */
    AccountId create(String loginId, String displayName, AccountScope scope, String passwordHash, AccountId createdBy);

    /**
     * The account a sign-in names, by its user ID as typed (normalised here). The one read without
     * a scope: nobody is signed in yet.
     */
    Optional<Account> forSignIn(String loginId);

    Optional<Account> find(TenantScope scope, AccountId id);

    /** Accounts the scope may see, by login id. */
    List<Account> list(TenantScope scope);

    /**
     * A failed sign-in (wrong password, wrong or replayed code): in one transaction with the account's
     * row locked, the failure is counted by {@code throttle} (so parallel guesses from several nodes
     * are all counted) and SIGN_IN_FAILED, and LOCKED when this failure locked it, are audited.
     */
    LoginThrottle.Outcome recordFailure(AccountId id, LoginThrottle throttle, Instant now, AuditEntry.Reason reason,
            String clientAddress);

    /** A successful sign-in: failures and lock cleared, SIGN_IN_OK audited. */
    void recordSuccess(AccountId id, Instant now, String clientAddress);

    /**
     * The TOTP replay guard: stores {@code step} as the last accepted one only if it is above the
     * stored one. False means another sign-in used this code (or a later one) first, even on another
     * node: the sign-in must then fail as a replay.
     */
    boolean acceptTotpStep(AccountId id, long step);

    /** A new password hash; {@code mustChange} for a reset by staff. Audits PASSWORD_CHANGED. */
    void changePassword(TenantScope scope, AccountId id, String passwordHash, boolean mustChange, AccountId by);

    /**
     * The user ID the user chose at first sign-in. Audits LOGIN_ID_CHANGED.
     *
     * @return false when it is taken
     */
    boolean changeLoginId(TenantScope scope, AccountId id, String loginId, AccountId by);

    /** Authenticator app with this secret (plain, encrypted here). Audits TWO_STEP_CHANGED. */
    void useTotp(TenantScope scope, AccountId id, byte[] secret, AccountId by);

    /** SMS or none (also staff resetting a customer's two-step verification); the TOTP secret is dropped. */
    void useTwoStep(TenantScope scope, AccountId id, TwoStepMethod method, AccountId by);

    /** The account's TOTP secret, decrypted, if it uses an authenticator app. */
    Optional<byte[]> totpSecret(AccountId id);

    /** Staff ends a lock (failures back to 0). Audits UNLOCKED. */
    void unlock(TenantScope scope, AccountId id, AccountId by);

    /**
     * Staff or an operator ({@code viewer}) looked at a customer's pages: audited as CUSTOMER_VIEWED
     * under that customer, so the customer's (and its reseller's) audit reads show who looked.
     */
    void auditCustomerView(AccountId viewer, CustomerId customer, Instant at, String clientAddress);

    /** Appends to the audit log (the sign-in outcomes the portal decides). */
    void audit(AuditEntry entry);

    /** The audit entries the scope may see, newest first, at most {@code limit}, before {@code before} (null: now). */
    List<AuditEntry> audit(TenantScope scope, Optional<AccountId> account, Instant before, int limit);

    /**
     * Sets ({@code phone} of the form {@link SmsOutbox#PHONE}) or removes ({@code null}) the account's
     * phone number for SMS two-step verification, within the actor's scope ("not found" outside it).
     * Audited as PHONE_CHANGED with the number masked but its last 2 digits (docs/accounts.md).
     *
     * @throws IllegalArgumentException for a number of another form, or an account outside the scope
     */
    void setPhone(TenantScope scope, AccountId id, String phone, AccountId by);

    /** The account's phone number, if it has one (unscoped, as {@link #totpSecret}: the sign-in needs it). */
    Optional<String> phone(AccountId id);
}
