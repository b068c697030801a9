package org.omamori.engine.urlfilter;

import java.util.Objects;

/**
 * A request matched the lists.
 *
 * @param category the deciding category (a blocking one if any matching entry blocks)
 * @param entry    the list entry that matched, in list form: {@code example.jp},
 *                 {@code 192.0.2.1}, {@code example.jp/path/x}; international names in
 *                 punycode ({@code xn--...})
 * @param kind     whether a domain, an IP literal or a URL prefix matched
 */
public record UrlMatch(Category category, String entry, Kind kind) {

    /** Which kind of entry matched. */
    public enum Kind {
        /** A {@code domains} entry: the host or one of its parent domains. */
        DOMAIN,
        /** A {@code domains} entry that is an IPv4 or IPv6 literal: exact address. */
        IP,
        /** A {@code urls} entry: host plus path prefix. */
        URL
    }

    public UrlMatch {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(kind, "kind");
    }

    public ListAction action() {
        return category.action();
    }

    /** The file the entry came from, e.g. {@code phishing/domains}. */
    public String listFile() {
        return category.id() + (kind == Kind.URL ? "/urls" : "/domains");
    }

    @Override
    public String toString() {
        return category.id() + " " + action().name().toLowerCase(java.util.Locale.ROOT) + " " + entry + " (" + listFile() + ")";
    }
}
