package org.omamori.api.engine;

/** Minimal, allocation-light splitting of a URL into its host; no validation beyond that. */
final class UrlParts {

    private UrlParts() {
    }

    /**
     * The authority's host of a URL, without user info and port; IPv6 literals keep their
     * brackets. Returns an empty string when the URL has no authority.
     */
    static String hostOf(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return url.startsWith("//") ? hostOfAuthority(url, 2) : "";
        }
        return hostOfAuthority(url, start + 3);
    }

    private static String hostOfAuthority(String url, int start) {
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at >= start) {
            start = at + 1;
        }
        if (start < end && url.charAt(start) == '[') {
            int close = url.indexOf(']', start);
            return close > 0 && close < end ? url.substring(start, close + 1) : url.substring(start, end);
        }
        int colon = url.indexOf(':', start);
        if (colon >= 0 && colon < end) {
            end = colon;
        }
        return url.substring(start, end);
    }
}
