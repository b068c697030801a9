package org.omamori.api.edition;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an edition's terms promise around the appliance beyond the desk's answers
 * (docs/edition-sdk.md "Support"): remote configuration changes on request, replacing a faulty
 * appliance, and how far ahead changes to the service are announced.
 *
 * @param remoteChangesPerMonth      remote configuration changes done on request per contract and
 *                                   calendar month; 0 when the edition offers none (the desk refuses them)
 * @param remoteChangeBusinessDays   desk business days within which a remote change is done
 * @param replacementShipBusinessDays business days after the fault is confirmed within which the
 *                                   replacement ships; empty: as soon as possible, no promise
 * @param returnBusinessDays         business days after the replacement arrives within which the faulty
 *                                   unit comes back; empty: no deadline
 * @param operatorPaysReturn         true when the return's carriage is paid by the operator (着払い)
 * @param replaceAfterYears          an appliance older than this (from manufacture) is flagged for replacement
 * @param notices                    how far ahead changes are announced
 */
public record Support(int remoteChangesPerMonth, int remoteChangeBusinessDays, OptionalInt replacementShipBusinessDays,
                      OptionalInt returnBusinessDays, boolean operatorPaysReturn, int replaceAfterYears, Notices notices) {

    /**
     * How far ahead the service announces changes (docs/notices.md).
     *
     * @param maintenanceMonths planned maintenance that stops the service is announced at least this many
     *                          months ahead (emergency work excepted)
     * @param specChangeDays    a specification change takes effect this many days after publication
     * @param termsChangeDays   a change of the terms is announced this many days before it takes effect
     * @param abolitionMonths   abolishing the service is announced this many months before the last day
     */
    public record Notices(int maintenanceMonths, int specChangeDays, int termsChangeDays, int abolitionMonths) {
        public Notices {
            Checks.between("maintenanceMonths", maintenanceMonths, 0, 12);
            Checks.between("specChangeDays", specChangeDays, 0, 365);
            Checks.between("termsChangeDays", termsChangeDays, 0, 365);
            Checks.between("abolitionMonths", abolitionMonths, 0, 24);
        }
    }

    /**
     * The national specification's (seed 000): no remote changes, replacement without a fixed day,
     * carriage of returns paid by the operator, replacement after 7 years; maintenance a month ahead,
     * specification changes 20 days after publication, terms 30 days ahead, abolition 4 months ahead.
     */
    public static final Support STANDARD = new Support(0, 5, OptionalInt.empty(), OptionalInt.empty(), true, 7,
            new Notices(1, 20, 30, 4));

    public Support {
        Checks.between("remoteChangesPerMonth", remoteChangesPerMonth, 0, 100);
        Checks.between("remoteChangeBusinessDays", remoteChangeBusinessDays, 1, 30);
        Objects.requireNonNull(replacementShipBusinessDays, "replacementShipBusinessDays");
        Objects.requireNonNull(returnBusinessDays, "returnBusinessDays");
        replacementShipBusinessDays.ifPresent(d -> Checks.between("replacementShipBusinessDays", d, 1, 30));
        returnBusinessDays.ifPresent(d -> Checks.between("returnBusinessDays", d, 1, 60));
        Checks.between("replaceAfterYears", replaceAfterYears, 1, 20);
        Objects.requireNonNull(notices, "notices");
    }
}
