package org.omamori.proxy;

import java.util.Objects;

import org.omamori.http.NeutralisationNotice;

/**
 * The service name and support desk the customer knows, shown on every page the proxy makes.
 * The seam for reseller brands: a branded distribution configures its own.
 *
 * @param name    e.g. サイバーセキュリティお助け隊
 * @param contact whom to call, e.g. the reseller's support desk and its phone number
 * @param colour  the edition's colour ({@code #rrggbb}) under the page's header
 */
public record Brand(String name, String contact, String colour) {

    public static final Brand DEFAULT = new Brand(NeutralisationNotice.DEFAULT_BRAND, NeutralisationNotice.DEFAULT_CONTACT, "#cccccc");

    public Brand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contact, "contact");
        if (colour == null || !colour.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("a brand colour is #rrggbb: " + colour);
        }
    }

    public Brand(String name, String contact) {
        this(name, contact, "#cccccc");
    }
}
