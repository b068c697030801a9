package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_SETTINGS;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_SETTINGS_STATE;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.events.ApplianceId;
import org.omamori.store.ApplianceSettings;
import org.omamori.store.CustomerId;

/** {@link ApplianceSettings} on {@code appliance_settings} and {@code appliance_settings_state} (V31). */
public final class SqlApplianceSettings implements ApplianceSettings {

    private final DSLContext db;
    private final Clock clock;

    public SqlApplianceSettings(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<Version> desired(ApplianceId appliance) {
        return db.selectFrom(APPLIANCE_SETTINGS).where(APPLIANCE_SETTINGS.APPLIANCE_ID.eq(appliance.value()))
                .orderBy(APPLIANCE_SETTINGS.VERSION.desc()).limit(1).fetchOptional(SqlApplianceSettings::version);
    }

    @Override
    public Version change(ApplianceId appliance, Map<String, Optional<String>> changes, String by, Optional<String> note, boolean counted) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        if (by == null || by.isBlank() || by.length() > 200) {
            throw new IllegalArgumentException("who changes the settings is 1 to 200 characters");
        }
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no change given");
        }
        for (Map.Entry<String, Optional<String>> e : changes.entrySet()) {
            ApplianceSettings.problem(e.getKey(), e.getValue()).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        }
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            // The appliance row locked: two changes at once make two versions one after the other, never one lost.
            Long customer = t.select(APPLIANCES.CUSTOMER_ID).from(APPLIANCES).where(APPLIANCES.ID.eq(appliance.value())).forUpdate()
                    .fetchOptional(APPLIANCES.CUSTOMER_ID).orElseThrow(() -> new IllegalArgumentException("no appliance " + appliance.value()));
            Optional<Version> before = t.selectFrom(APPLIANCE_SETTINGS).where(APPLIANCE_SETTINGS.APPLIANCE_ID.eq(appliance.value()))
                    .orderBy(APPLIANCE_SETTINGS.VERSION.desc()).limit(1).fetchOptional(SqlApplianceSettings::version);
            Map<String, String> settings = new TreeMap<>(before.map(Version::settings).orElse(Map.of()));
            Map<String, Optional<String>> changed = new TreeMap<>();
            for (Map.Entry<String, Optional<String>> e : changes.entrySet()) {
                String old = settings.get(e.getKey());
                if (e.getValue().isPresent() ? !e.getValue().get().equals(old) : old != null) {
                    changed.put(e.getKey(), e.getValue());
                    e.getValue().ifPresentOrElse(v -> settings.put(e.getKey(), v), () -> settings.remove(e.getKey()));
                }
            }
            if (changed.isEmpty()) {
                throw new IllegalArgumentException("nothing changes: version " + before.map(Version::version).orElse(0)
                        + " has these values already");
            }
            if (settings.size() > MAX_KEYS) {
                throw new IllegalArgumentException("at most " + MAX_KEYS + " settings per appliance");
            }
            int next = before.map(v -> v.version() + 1).orElse(1);
            Instant now = clock.instant();
            t.insertInto(APPLIANCE_SETTINGS)
                    .set(APPLIANCE_SETTINGS.APPLIANCE_ID, appliance.value())
                    .set(APPLIANCE_SETTINGS.VERSION, next)
                    .set(APPLIANCE_SETTINGS.CUSTOMER_ID, customer)
                    .set(APPLIANCE_SETTINGS.SETTINGS, JsonMaps.write(settings))
                    .set(APPLIANCE_SETTINGS.CHANGES, JsonMaps.writeOptional(changed))
                    .set(APPLIANCE_SETTINGS.CHANGED_AT, Times.column(now))
                    .set(APPLIANCE_SETTINGS.CHANGED_BY, by)
                    .set(APPLIANCE_SETTINGS.NOTE, note.orElse(null))
                    .set(APPLIANCE_SETTINGS.COUNTED, counted)
                    .execute();
            return new Version(appliance, next, settings, changed, Times.instant(Times.column(now)), by, note, counted);
        });
    }

    @Override
    public List<Version> history(ApplianceId appliance, int limit) {
        return db.selectFrom(APPLIANCE_SETTINGS).where(APPLIANCE_SETTINGS.APPLIANCE_ID.eq(appliance.value()))
                .orderBy(APPLIANCE_SETTINGS.VERSION.desc()).limit(Math.max(1, limit)).fetch(SqlApplianceSettings::version);
    }

    @Override
    public void reported(ApplianceId appliance, int version, Optional<String> refusal) {
        Objects.requireNonNull(refusal, "refusal");
        var now = Times.column(clock.instant());
        String reason = refusal.map(r -> r.length() > 1000 ? r.substring(0, 999) + "…" : r).orElse(null);
        var insert = db.insertInto(APPLIANCE_SETTINGS_STATE).set(APPLIANCE_SETTINGS_STATE.APPLIANCE_ID, appliance.value())
                .set(APPLIANCE_SETTINGS_STATE.REPORTED_AT, now);
        if (refusal.isEmpty()) {
            insert.set(APPLIANCE_SETTINGS_STATE.APPLIED_VERSION, version).set(APPLIANCE_SETTINGS_STATE.APPLIED_AT, now)
                    .onConflict(APPLIANCE_SETTINGS_STATE.APPLIANCE_ID).doUpdate()
                    .set(APPLIANCE_SETTINGS_STATE.APPLIED_VERSION, version).set(APPLIANCE_SETTINGS_STATE.APPLIED_AT, now)
                    .setNull(APPLIANCE_SETTINGS_STATE.REFUSED_VERSION).setNull(APPLIANCE_SETTINGS_STATE.REFUSED_REASON)
                    .set(APPLIANCE_SETTINGS_STATE.REPORTED_AT, now).execute();
        } else {
            insert.set(APPLIANCE_SETTINGS_STATE.REFUSED_VERSION, version).set(APPLIANCE_SETTINGS_STATE.REFUSED_REASON, reason)
                    .onConflict(APPLIANCE_SETTINGS_STATE.APPLIANCE_ID).doUpdate()
                    .set(APPLIANCE_SETTINGS_STATE.REFUSED_VERSION, version).set(APPLIANCE_SETTINGS_STATE.REFUSED_REASON, reason)
                    .set(APPLIANCE_SETTINGS_STATE.REPORTED_AT, now).execute();
        }
    }

    @Override
    public Optional<Reported> reported(ApplianceId appliance) {
        return db.selectFrom(APPLIANCE_SETTINGS_STATE).where(APPLIANCE_SETTINGS_STATE.APPLIANCE_ID.eq(appliance.value()))
                .fetchOptional(r -> new Reported(optional(r.getAppliedVersion()), Optional.ofNullable(Times.instant(r.getAppliedAt())),
                        optional(r.getRefusedVersion()), Optional.ofNullable(r.getRefusedReason()), Times.instant(r.getReportedAt())));
    }

    @Override
    public OptionalInt toOffer(ApplianceId appliance) {
        return db.select(APPLIANCE_SETTINGS.VERSION, APPLIANCE_SETTINGS_STATE.APPLIED_VERSION, APPLIANCE_SETTINGS_STATE.REFUSED_VERSION)
                .from(APPLIANCE_SETTINGS)
                .leftJoin(APPLIANCE_SETTINGS_STATE).on(APPLIANCE_SETTINGS_STATE.APPLIANCE_ID.eq(APPLIANCE_SETTINGS.APPLIANCE_ID))
                .where(APPLIANCE_SETTINGS.APPLIANCE_ID.eq(appliance.value()))
                .orderBy(APPLIANCE_SETTINGS.VERSION.desc()).limit(1)
                .fetchOptional()
                .filter(r -> !r.value1().equals(r.value2()) && !r.value1().equals(r.value3()))
                .map(r -> OptionalInt.of(r.value1())).orElse(OptionalInt.empty());
    }

    @Override
    public Optional<CustomerId> customerOf(ApplianceId appliance) {
        return db.select(APPLIANCES.CUSTOMER_ID).from(APPLIANCES).where(APPLIANCES.ID.eq(appliance.value()))
                .fetchOptional(APPLIANCES.CUSTOMER_ID).map(CustomerId::new);
    }

    @Override
    public int countedChanges(CustomerId customer, YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(DeskDeadlines.JST).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(DeskDeadlines.JST).toInstant();
        return db.fetchCount(APPLIANCE_SETTINGS, APPLIANCE_SETTINGS.CUSTOMER_ID.eq(customer.value()).and(APPLIANCE_SETTINGS.COUNTED.isTrue())
                .and(APPLIANCE_SETTINGS.CHANGED_AT.ge(Times.column(from))).and(APPLIANCE_SETTINGS.CHANGED_AT.lt(Times.column(to))));
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static Version version(Record r) {
        return new Version(new ApplianceId(r.get(APPLIANCE_SETTINGS.APPLIANCE_ID)), r.get(APPLIANCE_SETTINGS.VERSION),
                JsonMaps.readStrings(r.get(APPLIANCE_SETTINGS.SETTINGS)), JsonMaps.readOptional(r.get(APPLIANCE_SETTINGS.CHANGES)),
                Times.instant(r.get(APPLIANCE_SETTINGS.CHANGED_AT)), r.get(APPLIANCE_SETTINGS.CHANGED_BY),
                Optional.ofNullable(r.get(APPLIANCE_SETTINGS.NOTE)), r.get(APPLIANCE_SETTINGS.COUNTED));
    }
}
