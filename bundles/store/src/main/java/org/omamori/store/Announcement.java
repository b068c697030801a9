package org.omamori.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

import org.omamori.accounts.AccountId;

/**
 * An announcement of the operator to customers (docs/store.md "Announcements"): a planned
 * maintenance or a failure, for every customer, one reseller's customers or one customer.
 *
 * @param startsAt    a maintenance's start (always given); a failure's start, if given
 * @param endsAt      a maintenance's end (always given, after the start); a failure's end, if known
 * @param publishedBy the operator account that published it
 */
public record Announcement(long id, Kind kind, Audience audience, String title, String body, Optional<Instant> startsAt,
                           Optional<Instant> endsAt, Instant publishedAt, AccountId publishedBy, boolean emergency,
                           Optional<LocalDate> effectiveOn) {

    /** The longest title, in characters (one line: no control character). */
    public static final int MAX_TITLE = 100;
    /** The longest body, in characters (no control character but the newline). */
    public static final int MAX_BODY = 4000;

    public enum Kind {
        /** Planned maintenance: published at least a month before it starts (emergency work excepted, and marked). */
        MAINTENANCE("メンテナンス"),
        /** A failure of the service. */
        FAILURE("障害"),
        /** A specification change, in effect 20 days after publication (docs/notices.md). */
        SPEC_CHANGE("仕様変更"),
        /** A change of the terms, announced 30 days before it takes effect. */
        TERMS_CHANGE("規約変更"),
        /** The service is abolished, announced 4 months before its last day. */
        ABOLITION("サービス廃止");

        private final String ja;

        Kind(String ja) {
            this.ja = ja;
        }

        public String ja() {
            return ja;
        }

        /** Whether it announces a change with a day it takes effect. */
        public boolean change() {
            return this == SPEC_CHANGE || this == TERMS_CHANGE || this == ABOLITION;
        }
    }

    /** Whom an announcement concerns. */
    public sealed interface Audience {
        /** Every customer. */
        record All() implements Audience {
        }

        /** The customers of one reseller. */
        record OfReseller(ResellerId reseller) implements Audience {
            public OfReseller {
                Objects.requireNonNull(reseller, "reseller");
            }
        }

        /** One customer. */
        record OfCustomer(CustomerId customer) implements Audience {
            public OfCustomer {
                Objects.requireNonNull(customer, "customer");
            }
        }

        static Audience all() {
            return new All();
        }
    }

    /**
     * What the operator writes. The texts are checked here: title 1–{@value #MAX_TITLE} characters
     * without control characters, body 1–{@value #MAX_BODY} characters without control characters
     * but {@code \n} ({@code \r\n} is taken as {@code \n}); a maintenance has a start and a later end.
     * The month of notice is checked by {@link Announcements#publish}, against the time of publishing.
     */
    public record Draft(Kind kind, Audience audience, String title, String body, Optional<Instant> startsAt,
                        Optional<Instant> endsAt, boolean emergency, Optional<LocalDate> effectiveOn) {

        /** A planned maintenance or a failure, as before notices of changes. */
        public Draft(Kind kind, Audience audience, String title, String body, Optional<Instant> startsAt, Optional<Instant> endsAt) {
            this(kind, audience, title, body, startsAt, endsAt, false, Optional.empty());
        }

        public Draft {
            Objects.requireNonNull(effectiveOn, "effectiveOn");
            if (emergency && kind != Kind.MAINTENANCE) {
                throw new IllegalArgumentException("only a maintenance is emergency work");
            }
            if (effectiveOn.isPresent() && !kind.change()) {
                throw new IllegalArgumentException("a " + kind + " has no effective day");
            }
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(startsAt, "startsAt");
            Objects.requireNonNull(endsAt, "endsAt");
            if (title == null || title.isBlank() || title.length() > MAX_TITLE || title.chars().anyMatch(Draft::control)) {
                throw new IllegalArgumentException("a title is 1 to " + MAX_TITLE + " characters on one line, without control characters");
            }
            title = title.strip();
            body = body == null ? null : body.replace("\r\n", "\n");
            if (body == null || body.isBlank() || body.length() > MAX_BODY
                    || body.chars().anyMatch(c -> c != '\n' && control(c))) {
                throw new IllegalArgumentException("a body is 1 to " + MAX_BODY + " characters, without control characters but the newline");
            }
            if (kind == Kind.MAINTENANCE && (startsAt.isEmpty() || endsAt.isEmpty())) {
                throw new IllegalArgumentException("a maintenance announcement needs its start and end");
            }
            if (startsAt.isPresent() && endsAt.isPresent() && !endsAt.get().isAfter(startsAt.get())) {
                throw new IllegalArgumentException("the end " + endsAt.get() + " is not after the start " + startsAt.get());
            }
        }

        /** A planned maintenance from {@code startsAt} to {@code endsAt}. */
        public static Draft maintenance(Audience audience, String title, String body, Instant startsAt, Instant endsAt) {
            return new Draft(Kind.MAINTENANCE, audience, title, body, Optional.of(startsAt), Optional.of(endsAt));
        }

        /** Emergency maintenance: announced at short notice (or after the fact), marked 【緊急】. */
        public static Draft emergencyMaintenance(Audience audience, String title, String body, Instant startsAt, Instant endsAt) {
            return new Draft(Kind.MAINTENANCE, audience, title, body, Optional.of(startsAt), Optional.of(endsAt), true, Optional.empty());
        }

        /** A change taking effect on {@code effectiveOn}, or (empty) on the earliest day its notice period allows. */
        public static Draft change(Kind kind, Audience audience, String title, String body, Optional<LocalDate> effectiveOn) {
            if (!kind.change()) {
                throw new IllegalArgumentException(kind + " is not a change");
            }
            return new Draft(kind, audience, title, body, Optional.empty(), Optional.empty(), false, effectiveOn);
        }

        /** A failure, with when it began and ended if known. */
        public static Draft failure(Audience audience, String title, String body, Optional<Instant> startsAt,
                Optional<Instant> endsAt) {
            return new Draft(Kind.FAILURE, audience, title, body, startsAt, endsAt);
        }

        /** C0, DEL, C1, and the line and paragraph separators and bidi controls that could disguise text. */
        private static boolean control(int c) {
            return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069);
        }
    }
}
