package org.omamori.notify;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Function;

import org.omamori.api.edition.Edition;

/**
 * The brand each customer's mail carries: its reseller's edition when that edition is installed,
 * else the node's own brand (docs/edition-sdk.md). An edition's brand is made once per edition
 * object, so an updated edition bundle brings its new brand with it.
 */
public final class MailBrands {

    private final Function<String, Optional<Edition>> installed;
    private final Brand node;
    private final Map<Edition, Brand> made = new WeakHashMap<>();

    /**
     * @param installed the edition installed under an id, if any
     * @param node      the node's brand, for customers of the neutral default or of an edition not installed
     */
    public MailBrands(Function<String, Optional<Edition>> installed, Brand node) {
        this.installed = Objects.requireNonNull(installed, "installed");
        this.node = Objects.requireNonNull(node, "node");
    }

    /** Every customer gets the node's brand. */
    public static MailBrands only(Brand node) {
        return new MailBrands(id -> Optional.empty(), node);
    }

    /** The brand of a customer whose reseller is set to {@code edition}. */
    public Brand of(Optional<String> edition) {
        Optional<Edition> e = edition.flatMap(installed);
        if (e.isEmpty()) {
            return node;
        }
        synchronized (made) {
            return made.computeIfAbsent(e.get(), x -> Brand.of(x, node));
        }
    }

    public Brand node() {
        return node;
    }
}
