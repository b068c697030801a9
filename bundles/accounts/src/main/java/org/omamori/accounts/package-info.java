/**
 * Accounts and sign-in rules of the portal (issue 14), plain Java: Argon2id password hashes,
 * the password policy, TOTP (RFC 6238) with a replay guard, the lock-out policy, roles and the
 * audit record. No storage and no clock of its own: callers pass the time and the account's state
 * in and store what comes back.
 */
@Version("1.0.0")
@Export
package org.omamori.accounts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
