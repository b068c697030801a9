package org.omamori.backoffice.billing;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a quote is asked for.
 *
 * @param applied    the day the customer applied (Japan time)
 * @param approved   the day the reseller approved (the contract is formed when the approval mail is sent)
 * @param start      the agreed start, where the terms start on an agreed day (Vario: the installation day)
 * @param member     whether the customer is a member of a chamber of commerce, where the fee depends on it
 * @param appliances appliances (UTMs), where fees are per appliance
 * @param pcs        protected PCs, where fees are per PC
 * @param monthlyFee the monthly fee, where the edition's terms leave it to the reseller (Osaka, Matsumoto)
 */
public record QuoteRequest(LocalDate applied, Optional<LocalDate> approved, Optional<LocalDate> start, Optional<Boolean> member,
                           int appliances, int pcs, OptionalLong monthlyFee) {

    public QuoteRequest {
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(approved, "approved");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(monthlyFee, "monthlyFee");
        if (approved.isPresent() && approved.get().isBefore(applied)) {
            throw new IllegalArgumentException("approved " + approved.get() + " is before applied " + applied);
        }
        if (start.isPresent() && start.get().isBefore(applied)) {
            throw new IllegalArgumentException("the start " + start.get() + " is before applied " + applied);
        }
        if (appliances < 1 || appliances > 1000) {
            throw new IllegalArgumentException("appliances must be 1-1000: " + appliances);
        }
        if (pcs < 0 || pcs > 100_000) {
            throw new IllegalArgumentException("pcs must be 0-100000: " + pcs);
        }
        if (monthlyFee.isPresent() && (monthlyFee.getAsLong() < 0 || monthlyFee.getAsLong() > 10_000_000)) {
            throw new IllegalArgumentException("a monthly fee is 0-10,000,000 yen: " + monthlyFee.getAsLong());
        }
    }

    /** One appliance, no PC, nothing else known. */
    public static QuoteRequest appliedOn(LocalDate applied) {
        return new QuoteRequest(applied, Optional.empty(), Optional.empty(), Optional.empty(), 1, 0, OptionalLong.empty());
    }

    public QuoteRequest approvedOn(LocalDate day) {
        return new QuoteRequest(applied, Optional.of(day), start, member, appliances, pcs, monthlyFee);
    }

    public QuoteRequest startingOn(LocalDate day) {
        return new QuoteRequest(applied, approved, Optional.of(day), member, appliances, pcs, monthlyFee);
    }

    public QuoteRequest member(boolean isMember) {
        return new QuoteRequest(applied, approved, start, Optional.of(isMember), appliances, pcs, monthlyFee);
    }

    public QuoteRequest appliances(int n) {
        return new QuoteRequest(applied, approved, start, member, n, pcs, monthlyFee);
    }

    public QuoteRequest pcs(int n) {
        return new QuoteRequest(applied, approved, start, member, appliances, n, monthlyFee);
    }

    public QuoteRequest monthlyFee(long yen) {
        return new QuoteRequest(applied, approved, start, member, appliances, pcs, OptionalLong.of(yen));
    }
}
