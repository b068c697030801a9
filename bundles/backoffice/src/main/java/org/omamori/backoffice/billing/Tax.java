package org.omamori.backoffice.billing;

/**
 * How a price list states consumption tax: prices that include it (Niigata: 税込) or exclude it
 * (Vario: 税別), at a rate in percent. Tax is rounded down to the yen (docs/billing.md "Rounding").
 */
public record Tax(boolean included, int ratePercent) {

    public static final Tax INCLUDED_10 = new Tax(true, 10);
    public static final Tax EXCLUDED_10 = new Tax(false, 10);

    public Tax {
        if (ratePercent < 0 || ratePercent > 100) {
            throw new IllegalArgumentException("a tax rate is 0-100 %: " + ratePercent);
        }
    }

    /** A price as the list states it, split into net and tax (both whole yen). */
    public Charge.Amount split(long listed) {
        if (included) {
            long tax = Math.floorDiv(listed * ratePercent, 100 + ratePercent);
            return new Charge.Amount(listed - tax, tax);
        }
        return new Charge.Amount(listed, Math.floorDiv(listed * ratePercent, 100));
    }
}
