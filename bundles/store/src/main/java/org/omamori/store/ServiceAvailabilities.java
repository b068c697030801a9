package org.omamori.store;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import org.omamori.notify.Fault;
import org.omamori.report.MonthlyFigures;
import org.omamori.report.ServiceAvailability;

/**
 * The service's own availability of a month from the store's records (docs/reports.md "The service's
 * availability"): the A faults' open time is down, the planned maintenance announced to every
 * customer is left out (seed 000 §7.10), against the 99 % target.
 */
public final class ServiceAvailabilities {

    private ServiceAvailabilities() {
    }

    /**
     * The planned maintenance windows announced to every customer (docs/notices.md): announcements of
     * kind MAINTENANCE for all customers that are not emergency work.
     */
    public static List<ServiceAvailability.Window> plannedMaintenance(List<Announcement> announcements) {
        List<ServiceAvailability.Window> planned = new ArrayList<>();
        for (Announcement a : announcements) {
            if (a.kind() == Announcement.Kind.MAINTENANCE && !a.emergency() && a.audience() instanceof Announcement.Audience.All
                    && a.startsAt().isPresent() && a.endsAt().isPresent()) {
                planned.add(new ServiceAvailability.Window(a.startsAt().get(), a.endsAt().get()));
            }
        }
        return planned;
    }

    /** The month's availability from {@code faults} as at {@code now}, leaving out {@code planned}; a fault still open counts until now or the month's end. */
    public static ServiceAvailability of(Faults faults, YearMonth month, List<ServiceAvailability.Window> planned, Instant now) {
        Instant from = month.atDay(1).atStartOfDay(MonthlyFigures.ZONE).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(MonthlyFigures.ZONE).toInstant();
        List<ServiceAvailability.Window> down = new ArrayList<>();
        for (Faults.Entry e : faults.during(from, to)) {
            if (e.level() == Fault.Level.A) {
                Instant end = e.resolvedAt().orElse(now.isBefore(to) ? now : to);
                if (end.isAfter(e.detectedAt())) {
                    down.add(new ServiceAvailability.Window(e.detectedAt(), end));
                }
            }
        }
        return ServiceAvailability.of(month, down, planned);
    }

    /** The month's availability leaving out the maintenance announced to every customer. */
    public static ServiceAvailability of(Store store, YearMonth month, Instant now) {
        return of(store.faults(), month, plannedMaintenance(store.announcements().list(TenantScope.operator())), now);
    }
}
