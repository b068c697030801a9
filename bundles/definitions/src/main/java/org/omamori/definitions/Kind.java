package org.omamori.definitions;

/** What a definitions package feeds: each kind has its own engine and its own version line. */
public enum Kind {
    /**
     * A rotation of the operator key itself: the next public key, signed by the key in force
     * ({@link KeyRotation}). First, so a pull takes a new key before packages signed by it.
     */
    KEYS("keys"),
    /** Category lists of the URL filter (squidGuard/UT1 layout plus categories.conf). */
    URLFILTER("urlfilter"),
    /** Suricata-compatible rule files of the IPS. */
    IPS("ips"),
    /** ClamAV signature files for clamd. */
    AV("av"),
    /**
     * The appliance's own runtime: its platform bundles ({@code bundles/*.jar}), staged and started in the
     * maintenance window with a fallback to the runtime before (docs/fleet.md "Runtime updates").
     */
    RUNTIME("runtime");

    private final String id;

    Kind(String id) {
        this.id = id;
    }

    /** The name in manifests, URLs, folders and events. */
    public String id() {
        return id;
    }

    /** The kind named {@code id}; anything else is refused with the names we know. */
    public static Kind parse(String id) {
        for (Kind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown definitions kind '" + id + "': expected urlfilter, ips, av, keys or runtime");
    }

    @Override
    public String toString() {
        return id;
    }
}
