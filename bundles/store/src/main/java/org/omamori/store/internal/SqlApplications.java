package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLICATION_DAYS;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.omamori.events.ApplianceId;
import org.omamori.store.ApplicationDay;
import org.omamori.store.ApplicationUsage;
import org.omamori.store.Applications;
import org.omamori.store.TenantScope;

/** {@link Applications} from the roll-up {@code application_days} (V33): one GROUP BY per call. */
public final class SqlApplications implements Applications {

    private static final Comparator<ApplicationUsage> MOST_FIRST = Comparator.comparingLong(ApplicationUsage::connections)
            .reversed().thenComparing(ApplicationUsage::name).thenComparing(ApplicationUsage::id);

    private final DSLContext db;

    public SqlApplications(DSLContext db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public List<ApplicationDay> days(TenantScope scope, ApplianceId appliance, LocalDate first, LocalDate last) {
        Field<java.math.BigDecimal> connections = DSL.sum(APPLICATION_DAYS.CONNECTIONS);
        Field<Integer> clients = DSL.countDistinct(APPLICATION_DAYS.CLIENT);
        Field<String> name = DSL.max(APPLICATION_DAYS.APP_NAME);
        Map<Long, List<ApplicationUsage>> byDay = new java.util.TreeMap<>();
        db.select(APPLICATION_DAYS.JST_DAY, APPLICATION_DAYS.RULE_ID, name, connections, clients)
                .from(APPLICATION_DAYS).where(where(scope, appliance, first, last))
                .groupBy(APPLICATION_DAYS.JST_DAY, APPLICATION_DAYS.RULE_ID)
                .fetch().forEach(r -> byDay.computeIfAbsent(r.value1(), d -> new ArrayList<>())
                        .add(usage(r.value2(), r.value3(), r.value4(), r.value5())));
        List<ApplicationDay> days = new ArrayList<>(byDay.size());
        byDay.forEach((day, apps) -> {
            apps.sort(MOST_FIRST);
            days.add(new ApplicationDay(LocalDate.ofEpochDay(day), apps));
        });
        return days;
    }

    @Override
    public List<ApplicationUsage> period(TenantScope scope, ApplianceId appliance, LocalDate first, LocalDate last) {
        Field<java.math.BigDecimal> connections = DSL.sum(APPLICATION_DAYS.CONNECTIONS);
        Field<Integer> clients = DSL.countDistinct(APPLICATION_DAYS.CLIENT);
        Field<String> name = DSL.max(APPLICATION_DAYS.APP_NAME);
        Map<String, ApplicationUsage> apps = new LinkedHashMap<>();
        db.select(APPLICATION_DAYS.RULE_ID, name, connections, clients)
                .from(APPLICATION_DAYS).where(where(scope, appliance, first, last))
                .groupBy(APPLICATION_DAYS.RULE_ID)
                .fetch().forEach(r -> apps.put(r.value1(), usage(r.value1(), r.value2(), r.value3(), r.value4())));
        List<ApplicationUsage> list = new ArrayList<>(apps.values());
        list.sort(MOST_FIRST);
        return list;
    }

    /** The appliance's rows of the days, only of customers the scope may see (the tenant check). */
    private static Condition where(TenantScope scope, ApplianceId appliance, LocalDate first, LocalDate last) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(appliance, "appliance");
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("the period is empty: " + first + " to " + last);
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw new IllegalArgumentException("the period is longer than " + MAX_DAYS + " days: " + first + " to " + last);
        }
        return Scopes.customers(APPLICATION_DAYS.CUSTOMER_ID, scope)
                .and(APPLICATION_DAYS.APPLIANCE_ID.eq(appliance.value()))
                .and(APPLICATION_DAYS.JST_DAY.between(first.toEpochDay(), last.toEpochDay()));
    }

    private static ApplicationUsage usage(String id, String name, java.math.BigDecimal connections, Integer clients) {
        return new ApplicationUsage(id, name, ApplicationUsage.categoryOf(id), connections.longValue(), clients);
    }
}
