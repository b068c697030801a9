package org.omamori.accounts;

/**
 * An optional check against a list of passwords seen in breaches (issue 14: "breached-password
 * list optional"). The project ships no implementation that calls a network service; an operator
 * may plug in a local list or a k-anonymity lookup. {@link #NONE} says nothing is breached.
 */
@FunctionalInterface
public interface BreachedPasswords {

    /** No breached-password list: every password passes this check. */
    BreachedPasswords NONE = password -> false;

    /** Whether {@code password} is known from a breach. Must not log or keep the password. */
    boolean isBreached(String password);
}
