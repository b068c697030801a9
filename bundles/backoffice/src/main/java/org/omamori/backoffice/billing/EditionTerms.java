package org.omamori.backoffice.billing;

import java.time.MonthDay;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.omamori.backoffice.calendar.BusinessCalendar;

/**
 * An edition's terms that the back office computes with: its names, business calendar and billing
 * terms. The four editions of the seeds are here with their values (docs/billing.md); edition
 * bundles will supply the same record (issue 15).
 *
 * @param id       the edition's id, e.g. {@code niigata}
 * @param nameJa   its service name as its customers read it
 * @param calendar its business days
 * @param billing  its billing terms
 */
public record EditionTerms(String id, String nameJa, BusinessCalendar calendar, BillingTerms billing) {

    public EditionTerms {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nameJa, "nameJa");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(billing, "billing");
    }

    public Quote quote(QuoteRequest request) {
        return billing.quote(id, request, calendar);
    }

    /** Osaka chamber of commerce on NEC's specification (seed 000): monthly fee set by the reseller. */
    public static final EditionTerms OSAKA = new EditionTerms("osaka", "大阪商工会議所 サイバーセキュリティお助け隊サービス",
            BusinessCalendar.standard(), new BillingTerms.MonthlyFromNextMonth(Optional.empty(), Tax.INCLUDED_10));

    /** Matsumoto chamber of commerce on NEC's specification (seed 001): the reseller's own terms. */
    public static final EditionTerms MATSUMOTO = new EditionTerms("matsumoto", "松本商工会議所 サイバーセキュリティお助け隊サービス",
            BusinessCalendar.standard(), new BillingTerms.MonthlyFromNextMonth(Optional.empty(), Tax.INCLUDED_10));

    /** Niigata chamber of commerce's own terms of use (seed 002 第2条7, 第4条, 第13条). */
    public static final EditionTerms NIIGATA = new EditionTerms("niigata", "新潟商工会議所 サイバーセキュリティ見守りサービス",
            new BusinessCalendar(List.of(BusinessCalendar.YEAR_END, new BusinessCalendar.ClosedDays(MonthDay.of(8, 15), MonthDay.of(8, 15)))),
            new BillingTerms.AnnualToMarch(79_200, 99_000, Tax.INCLUDED_10, 5, 5, 25, 15));

    /** Vario Secure's own terms and price list (seed 004 第9-16条, 別紙1 §2). */
    public static final EditionTerms VARIO = new EditionTerms("vario", "バリオセキュア サイバーセキュリティお助けパック",
            BusinessCalendar.standard(), new BillingTerms.PerAppliance(60_000, 80_000, 9_800, 1_400, 24, 146, Tax.EXCLUDED_10));

    /** The seeds' editions by id. */
    public static final Map<String, EditionTerms> SEEDED = Map.of(OSAKA.id(), OSAKA, MATSUMOTO.id(), MATSUMOTO,
            NIIGATA.id(), NIIGATA, VARIO.id(), VARIO);
}
