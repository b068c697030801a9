package org.omamori.backoffice.billing;

import java.util.Locale;

/** Yen as a Japanese reads them on quotes, invoices, contract steps and claims: {@code 79,200円}. */
public final class Yen {

    private Yen() {
    }

    public static String of(long amount) {
        return String.format(Locale.ROOT, "%,d円", amount);
    }
}
