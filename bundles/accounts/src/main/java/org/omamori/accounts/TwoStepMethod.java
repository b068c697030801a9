package org.omamori.accounts;

/** The second step of a sign-in the user chose at first sign-in. */
public enum TwoStepMethod {
    NONE,
    /** An authenticator app ({@link Totp}). */
    TOTP,
    /** A code sent by SMS through the SMS gateway. */
    SMS
}
