package org.omamori.backoffice.notice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Optional;

import org.omamori.api.edition.Support;
import org.omamori.backoffice.contract.ContractRuleException;

/**
 * When an announced maintenance may start and an announced change take effect (docs/notices.md),
 * from the editions' {@link Support.Notices}: a notice to customers of several editions keeps the
 * strictest of their periods, so every customer gets at least what its terms promise.
 * Planned maintenance is announced at least a month ahead (seed 000 §7.11.1) unless it is emergency
 * work (§7.11.2); a specification change takes effect 20 days after publication (000 §1.2); a terms
 * change is announced 30 days ahead (Niigata 第3条3); abolishing the service 4 months ahead (第11条1).
 */
public final class NoticeRules {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    private NoticeRules() {
    }

    /** The kinds of change with an effective day. */
    public enum Change {
        SPEC("仕様変更"), TERMS("規約変更"), ABOLITION("サービス廃止");

        private final String ja;

        Change(String ja) {
            this.ja = ja;
        }

        public String ja() {
            return ja;
        }
    }

    /** The longest of each period among the editions concerned (the standard's when none). */
    public static Support.Notices strictest(Collection<Support.Notices> notices) {
        if (notices.isEmpty()) {
            return Support.STANDARD.notices();
        }
        return new Support.Notices(notices.stream().mapToInt(Support.Notices::maintenanceMonths).max().orElseThrow(),
                notices.stream().mapToInt(Support.Notices::specChangeDays).max().orElseThrow(),
                notices.stream().mapToInt(Support.Notices::termsChangeDays).max().orElseThrow(),
                notices.stream().mapToInt(Support.Notices::abolitionMonths).max().orElseThrow());
    }

    /**
     * Checks a maintenance announced at {@code now} starting at {@code start}.
     *
     * @throws ContractRuleException when planned work starts sooner than the notice period allows
     */
    public static void maintenance(Instant now, Instant start, boolean emergency, Support.Notices n) {
        Instant earliest = now.atZone(JST).plusMonths(n.maintenanceMonths()).toInstant();
        if (!emergency && start.isBefore(earliest)) {
            throw new ContractRuleException("maintenance-notice", "a maintenance must be announced at least "
                    + (n.maintenanceMonths() == 1 ? "one month" : n.maintenanceMonths() + " months") + " before it starts: published now ("
                    + now + ") it may start at " + earliest + " at the earliest; it starts " + start + " (emergency work is marked as such)");
        }
    }

    /** The first day a change published on {@code published} may take effect. */
    public static LocalDate earliest(Change change, LocalDate published, Support.Notices n) {
        return switch (change) {
            case SPEC -> published.plusDays(n.specChangeDays());
            case TERMS -> published.plusDays(n.termsChangeDays());
            case ABOLITION -> published.plusMonths(n.abolitionMonths());
        };
    }

    /**
     * The day a change takes effect: the one asked for, or the earliest allowed.
     *
     * @throws ContractRuleException when the day asked for is before the earliest allowed
     */
    public static LocalDate effective(Change change, LocalDate published, Optional<LocalDate> asked, Support.Notices n) {
        LocalDate earliest = earliest(change, published, n);
        if (asked.isPresent() && asked.get().isBefore(earliest)) {
            String rule = switch (change) {
                case SPEC -> n.specChangeDays() + " days after publication";
                case TERMS -> n.termsChangeDays() + " days' notice";
                case ABOLITION -> n.abolitionMonths() + " months' notice";
            };
            throw new ContractRuleException("change-notice", "a " + change.name().toLowerCase(java.util.Locale.ROOT) + " change published on "
                    + published + " takes effect on " + earliest + " at the earliest (" + rule + "), not " + asked.get());
        }
        return asked.orElse(earliest);
    }
}
