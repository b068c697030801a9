package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.omamori.events.ApplianceId;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.ApplianceStatus.Liveness;
import org.omamori.store.CustomerId;
import org.omamori.store.Fleet;
import org.omamori.store.Heartbeat;
import org.omamori.store.TenantScope;

/** Appliances with their last heartbeat. */
public final class SqlFleet implements Fleet {

    private final DSLContext db;

    public SqlFleet(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<ApplianceStatus> status(TenantScope scope, Instant now, Duration stoppedAfter) {
        return db.select(APPLIANCES.ID, APPLIANCES.CUSTOMER_ID, CUSTOMERS.NAME, HEARTBEATS.RECEIVED_AT,
                        HEARTBEATS.FIRMWARE_VERSION, HEARTBEATS.DEFINITIONS_JSON, APPLIANCES.NAME)
                .from(APPLIANCES)
                .join(CUSTOMERS).on(CUSTOMERS.ID.eq(APPLIANCES.CUSTOMER_ID))
                .leftJoin(HEARTBEATS).on(HEARTBEATS.APPLIANCE_ID.eq(APPLIANCES.ID))
                .where(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .orderBy(APPLIANCES.ID)
                .fetch(r -> {
                    Instant last = Times.instant(r.get(HEARTBEATS.RECEIVED_AT));
                    Liveness liveness = last == null ? Liveness.NEVER_SEEN
                            : last.plus(stoppedAfter).isAfter(now) ? Liveness.ONLINE : Liveness.STOPPED;
                    String definitions = r.get(HEARTBEATS.DEFINITIONS_JSON);
                    return new ApplianceStatus(new ApplianceId(r.get(APPLIANCES.ID)), new CustomerId(r.get(APPLIANCES.CUSTOMER_ID)),
                            r.get(CUSTOMERS.NAME), liveness, Optional.ofNullable(last),
                            Optional.ofNullable(r.get(HEARTBEATS.FIRMWARE_VERSION)),
                            definitions == null ? Map.of() : JsonMaps.readStrings(definitions), r.get(APPLIANCES.NAME));
                });
    }

    @Override
    public Optional<Heartbeat> lastHeartbeat(TenantScope scope, ApplianceId appliance) {
        return db.select(HEARTBEATS.fields()).from(HEARTBEATS)
                .join(APPLIANCES).on(APPLIANCES.ID.eq(HEARTBEATS.APPLIANCE_ID))
                .where(HEARTBEATS.APPLIANCE_ID.eq(appliance.value()))
                .and(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .fetchOptional(r -> new Heartbeat(Times.instant(r.get(HEARTBEATS.SENT_AT)), Times.instant(r.get(HEARTBEATS.STARTED_AT)),
                        r.get(HEARTBEATS.FIRMWARE_VERSION), JsonMaps.readStrings(r.get(HEARTBEATS.RUNTIME_JSON)),
                        JsonMaps.readStrings(r.get(HEARTBEATS.DEFINITIONS_JSON)), JsonMaps.readLongs(r.get(HEARTBEATS.COUNTERS_JSON))));
    }
}
