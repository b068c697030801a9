package org.omamori.backoffice.invoice;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.backoffice.billing.Bill;

/**
 * A qualified invoice (適格請求書, docs/invoices.md): the issuer and its registration number, the
 * recipient, the day, what was billed, and per tax rate the amount and the consumption tax,
 * rounded down once per rate. Numbers run without gaps per issuer (the store gives them).
 *
 * @param issuer    who issues it
 * @param recipient the customer's company name (the invoice is addressed 御中)
 * @param number    the issuer's next number
 * @param issued    the invoice date (取引年月日 is the billed month)
 * @param month     the month billed
 * @param due       the payment due date
 * @param lines     what is billed
 */
public record Invoice(Issuer issuer, String recipient, long number, LocalDate issued, YearMonth month, LocalDate due,
                      List<Bill.Line> lines) {

    /**
     * The issuer: an edition's company.
     *
     * @param key          what numbers run per: the edition's id
     * @param name         the company's name in Japanese
     * @param registration its registration number, {@code T} and 13 digits
     * @param contact      where to ask (the desk's name, phone and mail)
     */
    public record Issuer(String key, String name, String registration, String contact) {
        public Issuer {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(contact, "contact");
            if (registration == null || !Brand.REGISTRATION.matcher(registration).matches()) {
                throw new IllegalArgumentException("a qualified invoice needs the issuer's registration number, T and 13 digits: " + registration);
            }
        }

        /** The issuer of an edition's invoices. @throws IllegalArgumentException when the edition has no registration number */
        public static Issuer of(Edition e) {
            var b = e.brand();
            var d = e.terms().desk();
            return new Issuer(e.id(), b.company().ja(), b.invoiceRegistration().orElseThrow(() -> new IllegalArgumentException(
                    "edition " + e.id() + " has no qualified-invoice registration number: it issues no qualified invoices")),
                    d.name().ja() + " " + d.phone() + " " + d.mail());
        }
    }

    /**
     * The amounts of one tax rate, rounded once: {@code tax} is the consumption tax of the rate's total.
     */
    public record RateTotal(int ratePercent, boolean included, long net, long tax) {
        public long gross() {
            return net + tax;
        }
    }

    public Invoice {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(issued, "issued");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(due, "due");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an invoice has at least one line");
        }
        if (number < 1) {
            throw new IllegalArgumentException("invoice numbers start at 1: " + number);
        }
        Map<Integer, Boolean> included = new TreeMap<>();
        for (Bill.Line l : lines) {
            Boolean before = included.putIfAbsent(l.tax().ratePercent(), l.tax().included());
            if (before != null && before != l.tax().included()) {
                throw new IllegalArgumentException("the lines of one tax rate are all listed with tax or all without it");
            }
        }
    }

    /**
     * Per rate, highest first: the listed amounts summed, the tax rounded down once on the sum
     * (from the gross when listed with tax: floor(gross × rate / (100 + rate)); else floor(net × rate / 100)).
     */
    public List<RateTotal> rates() {
        Map<Integer, long[]> sums = new TreeMap<>((a, b) -> Integer.compare(b, a));
        Map<Integer, Boolean> included = new TreeMap<>();
        for (Bill.Line l : lines) {
            sums.computeIfAbsent(l.tax().ratePercent(), r -> new long[1])[0] += l.listed();
            included.put(l.tax().ratePercent(), l.tax().included());
        }
        List<RateTotal> out = new ArrayList<>();
        sums.forEach((rate, sum) -> {
            long listed = sum[0];
            if (included.get(rate)) {
                long tax = Math.floorDiv(listed * rate, 100 + rate);
                out.add(new RateTotal(rate, true, listed - tax, tax));
            } else {
                out.add(new RateTotal(rate, false, listed, Math.floorDiv(listed * rate, 100)));
            }
        });
        return out;
    }

    /** What is asked for, tax included. */
    public long total() {
        return rates().stream().mapToLong(RateTotal::gross).sum();
    }

    /** The number as printed: the issuer's key and six digits, e.g. {@code NIIGATA-000042}. */
    public String numberText() {
        return issuer.key().toUpperCase(Locale.ROOT) + "-" + String.format(Locale.ROOT, "%06d", number);
    }

    /** The due date a bill's terms fix, else the end of the month after the invoice date. */
    public static LocalDate dueOf(Bill bill, LocalDate issued) {
        return bill.due().orElse(YearMonth.from(issued).plusMonths(1).atEndOfMonth());
    }
}
