package org.omamori.store;

import java.time.LocalDate;
import java.util.List;

import org.omamori.events.ApplianceId;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The applications an appliance's clients used (docs/store.md "Application days", docs/portal.md
 * "Applications"): connections and clients per application and Japanese day
 * ({@link Statistics#DAYS}), from the access-log events of application identification. Always within
 * a tenant scope: an appliance of a customer the scope may not see gives an empty list, never an
 * exception, as {@link Statistics} does. Days are inclusive, {@code first} to {@code last}; more than
 * {@link #MAX_DAYS} days, or {@code last} before {@code first}, is an {@link IllegalArgumentException}.
 */
@ProviderType
public interface Applications {

    /** The longest period asked at once (a quarter). */
    int MAX_DAYS = 92;

    /** Each day with any application, oldest first; in a day the most connections first. */
    List<ApplicationDay> days(TenantScope scope, ApplianceId appliance, LocalDate first, LocalDate last);

    /** The period as a whole, most connections first; clients are counted once over the period. */
    List<ApplicationUsage> period(TenantScope scope, ApplianceId appliance, LocalDate first, LocalDate last);
}
