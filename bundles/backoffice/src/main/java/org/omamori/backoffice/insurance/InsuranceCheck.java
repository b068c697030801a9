package org.omamori.backoffice.insurance;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms;
import org.omamori.backoffice.billing.Yen;

/**
 * Whether a dispatch is covered (seed 000 別紙2, 002 第4条, docs/insurance.md): the insurance year
 * starts at 0:00 on the 1st of the month after the service start (so never in a free period) and
 * renews yearly; the dispatch is within the edition's days (30) after the day the ★★★ alert mail
 * arrived, up to 24:00 of the last day; the year's limit is not used up, nor its number of dispatches
 * ({@code dispatchesPerYear}, 0: not counted); and where the edition says
 * so (Niigata 第4条4), a customer paid before a renewal gets nothing more after it until the
 * insurance year then running ends.
 */
public final class InsuranceCheck {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    /**
     * The answer.
     *
     * @param eligible  whether the dispatch is covered
     * @param reasonsJa why not (empty when covered), in Japanese
     * @param yearFrom  the insurance year the dispatch falls in (first day)
     * @param yearTo    its last day
     * @param left      what the year's limit still allows before this dispatch
     * @param upTo      the most this dispatch is paid (0 when not covered); above it the customer pays
     */
    public record Result(boolean eligible, List<String> reasonsJa, LocalDate yearFrom, LocalDate yearTo, long left, long upTo) {
    }

    private InsuranceCheck() {
    }

    /** An insurance year: its first and last day. */
    public record Year(LocalDate from, LocalDate to) {
    }

    /**
     * The insurance year {@code day} falls in: years run from the 1st of the month after the service
     * start (a day before it falls in the first year, and is not covered).
     */
    public static Year yearOf(LocalDate serviceStart, LocalDate day) {
        LocalDate from = serviceStart.withDayOfMonth(1).plusMonths(1);
        while (!day.isBefore(from.plusYears(1))) {
            from = from.plusYears(1);
        }
        return new Year(from, from.plusYears(1).minusDays(1));
    }

    /**
     * As {@link #check(Edition, LocalDate, ZonedDateTime, LocalDate, long, int, Optional)} with no
     * dispatch paid before in that insurance year (the {@code insurance check} command's question).
     */
    public static Result check(Edition edition, LocalDate serviceStart, ZonedDateTime alertMail, LocalDate dispatch, long paid,
                               Optional<LocalDate> renewedOn) {
        return check(edition, serviceStart, alertMail, dispatch, paid, 0, renewedOn);
    }

    /**
     * @param serviceStart the service start
     * @param alertMail    when the ★★★ alert mail arrived
     * @param dispatch     the day of the on-site dispatch
     * @param paid         what the insurance already paid in the dispatch's insurance year
     * @param dispatches   the dispatches the insurance already covered in that insurance year
     * @param renewedOn    the contract's last renewal (1 April), where the edition's rule needs it
     */
    public static Result check(Edition edition, LocalDate serviceStart, ZonedDateTime alertMail, LocalDate dispatch, long paid,
                               int dispatches, Optional<LocalDate> renewedOn) {
        Objects.requireNonNull(edition, "edition");
        Terms.Insurance ins = edition.terms().insurance();
        List<String> why = new ArrayList<>();
        LocalDate first = serviceStart.withDayOfMonth(1).plusMonths(1);
        Year year = yearOf(serviceStart, dispatch);
        LocalDate from = year.from();
        LocalDate to = year.to();
        if (dispatch.isBefore(first)) {
            why.add("保険期間は " + first + " 0時から（サービス開始月の翌月1日。無償期間は対象外）");
        }
        LocalDate mailDay = alertMail.withZoneSameInstant(JST).toLocalDate();
        LocalDate lastDay = mailDay.plusDays(ins.daysAfterAlert());
        if (dispatch.isBefore(mailDay)) {
            why.add("駆け付けがアラートメールの受信（" + mailDay + "）より前");
        } else if (dispatch.isAfter(lastDay)) {
            why.add("駆け付けはアラートメールの受信から" + ins.daysAfterAlert() + "日以内（" + lastDay + " 24時まで）");
        }
        if (!ins.onSiteDispatch() || ins.yearlyLimit() == 0) {
            why.add("このエディションの保険は駆け付けを補償しない");
        }
        long left = Math.max(0, ins.yearlyLimit() - paid);
        if (left == 0) {
            why.add("保険年度（" + from + "〜" + to + "）の上限 " + Yen.of(ins.yearlyLimit()) + " に達している");
        }
        if (ins.dispatchesPerYear() > 0 && dispatches >= ins.dispatchesPerYear()) {
            why.add("保険年度（" + from + "〜" + to + "）の駆け付けは " + ins.dispatchesPerYear() + " 回まで（補償済み " + dispatches + " 回）");
        }
        if (ins.paidBeforeRenewalWaits() && paid > 0 && renewedOn.isPresent()) {
            LocalDate renewal = renewedOn.get();
            if (!renewal.isBefore(from) && !renewal.isAfter(to) && !dispatch.isBefore(renewal)) {
                why.add("契約更新（" + renewal + "）前に保険金の支払を受けているため、その保険期間の終わり（" + to + "）まで追加の支払なし");
            }
        }
        boolean eligible = why.isEmpty();
        return new Result(eligible, List.copyOf(why), from, to, left, eligible ? Math.min(ins.perDispatch(), left) : 0);
    }

}
