package org.omamori.proxy;

/**
 * The header fields the proxy itself reads or drops, recognised once per field while a head is
 * parsed (names are case-insensitive), so later lookups compare a small number, not names.
 */
enum KnownField {
    OTHER(null, false, false),
    HOST("Host", false, false),
    CONTENT_LENGTH("Content-Length", false, true),
    TRANSFER_ENCODING("Transfer-Encoding", false, true),
    CONNECTION("Connection", true, true),
    EXPECT("Expect", true, true),
    // The rest of the hop-by-hop fields (RFC 9110 §7.6.1), never forwarded.
    PROXY_CONNECTION("Proxy-Connection", true, false),
    KEEP_ALIVE("Keep-Alive", true, false),
    TE("TE", true, false),
    UPGRADE("Upgrade", true, false),
    PROXY_AUTHORIZATION("Proxy-Authorization", true, false),
    PROXY_AUTHENTICATE("Proxy-Authenticate", true, false);

    private static final KnownField[] ALL = values();

    /** The usual spelling, reused as the name String when a field is spelt so. */
    final String name;
    final String lower;
    /** Belongs to one connection: never forwarded. */
    final boolean hopByHop;
    /** A comma-separated list the proxy reads element by element. */
    final boolean list;

    KnownField(String name, boolean hopByHop, boolean list) {
        this.name = name;
        this.lower = name == null ? null : name.toLowerCase(java.util.Locale.ROOT);
        this.hopByHop = hopByHop;
        this.list = list;
    }

    static KnownField of(byte[] b, int from, int to) {
        int length = to - from;
        for (int i = 1; i < ALL.length; i++) {
            KnownField f = ALL[i];
            if (f.lower.length() == length && HeadSyntax.equalsLower(b, from, to, f.lower)) {
                return f;
            }
        }
        return OTHER;
    }

    /** {@code values()[ordinal]} without copying the array. */
    static KnownField byOrdinal(int ordinal) {
        return ALL[ordinal];
    }
}
