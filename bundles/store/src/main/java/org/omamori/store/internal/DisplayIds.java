package org.omamori.store.internal;

import java.util.regex.Pattern;

/**
 * A customer's alert display ids ({@code <10-digit epoch second>-<seq>}, docs/store.md), given while
 * grading holds the customer's row locked. Each id is strictly greater than the last, as the pair
 * (prefix, seq): the prefix is the batch's second unless the last prefix is later (a node whose clock
 * is behind), the seq restarts at 1 on a new prefix. So no id is given twice to one customer, whatever
 * the order in which batches of its appliances come; {@code alert_display_ids}' key checks it.
 */
final class DisplayIds {

    /** 10 digits, a hyphen, 1 to 9 digits. */
    static final Pattern FORM = Pattern.compile("[0-9]{10}-[0-9]{1,9}");
    static final long MAX_SEQ = 999_999_999L;
    private static final long MIN_PREFIX = 1_000_000_000L;
    private static final long MAX_PREFIX = 9_999_999_999L;

    private long prefix;
    private long seq;
    private boolean moved;

    DisplayIds(long prefix, long seq) {
        this.prefix = prefix;
        this.seq = seq;
    }

    /** The next id for an alert first stored by a batch received at {@code epochSecond}. */
    String next(long epochSecond) {
        long p = Math.max(Math.clamp(epochSecond, MIN_PREFIX, MAX_PREFIX), prefix);
        if (p == prefix && seq >= MAX_SEQ) {
            p = prefix + 1; // a billion alerts in one second: move on to the next second
        }
        if (p > MAX_PREFIX) {
            throw new IllegalStateException("alert display ids exhausted");
        }
        seq = p == prefix ? seq + 1 : 1;
        prefix = p;
        moved = true;
        return prefix + "-" + seq;
    }

    long prefix() {
        return prefix;
    }

    long seq() {
        return seq;
    }

    boolean moved() {
        return moved;
    }
}
