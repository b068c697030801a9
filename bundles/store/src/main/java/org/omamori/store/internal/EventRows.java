package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.EVENTS;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventId;
import org.omamori.events.IpLiteral;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.store.CustomerId;
import org.omamori.store.StoredEvent;
import org.omamori.store.internal.schema.tables.records.EventsRecord;

/** An event and its row, both ways; text as the uplink writes it (EventCodec's wire names). */
final class EventRows {

    private EventRows() {
    }

    static EventsRecord row(Event e, long customer, Instant receivedAt) {
        EventsRecord r = EVENTS.newRecord();
        r.setId(e.id().uuid());
        r.setCustomerId(customer);
        r.setApplianceId(e.appliance().value());
        r.setEventTime(Times.column(e.time()));
        r.setReceivedAt(Times.column(receivedAt));
        r.setKind(e.kind().wire());
        r.setZoneFrom(e.zones().from().id());
        r.setZoneTo(e.zones().to().id());
        r.setSource(e.source().getHostAddress());
        r.setSourcePort(e.sourcePort());
        r.setDestination(e.destination().getHostAddress());
        r.setDestinationPort(e.destinationPort());
        r.setMac(e.mac().map(MacAddress::toString).orElse(""));
        r.setHost(e.host());
        r.setUrl(e.url());
        r.setDnsName(e.dnsName());
        r.setSecurityFunction(e.function().id());
        r.setEngineId(e.engineId());
        r.setEngineVersion(e.engineVersion());
        r.setRuleId(e.ruleId());
        r.setRuleName(e.ruleName());
        r.setResult(e.result().wire());
        r.setSeverity(e.level().name().toLowerCase(Locale.ROOT));
        r.setConfidence(e.confidence());
        r.setEvidence(e.evidence().id());
        r.setNote(e.note());
        r.setOccurrences(e.count());
        r.setLastTime(e.count() == 1 ? null : Times.column(e.last())); // NULL: the event's own time (V32)
        return r;
    }

    static StoredEvent stored(EventsRecord r) {
        Event e = new Event(new EventId(r.getId()), new ApplianceId(r.getApplianceId()), Times.instant(r.getEventTime()),
                Kind.fromWire(r.getKind()), new ZonePair(new Zone(r.getZoneFrom()), new Zone(r.getZoneTo())),
                IpLiteral.parse(r.getSource()), r.getSourcePort(), IpLiteral.parse(r.getDestination()), r.getDestinationPort(),
                r.getMac().isEmpty() ? Optional.empty() : Optional.of(MacAddress.parse(r.getMac())),
                r.getHost(), r.getUrl(), r.getDnsName(), new SecurityFunction(r.getSecurityFunction()),
                r.getEngineId(), r.getEngineVersion(), r.getRuleId(), r.getRuleName(), Result.fromWire(r.getResult()),
                Level.valueOf(r.getSeverity().toUpperCase(Locale.ROOT)), r.getConfidence(), new Evidence(r.getEvidence()),
                r.getNote(), r.getOccurrences(), r.getLastTime() == null ? Times.instant(r.getEventTime()) : Times.instant(r.getLastTime()));
        return new StoredEvent(e, new CustomerId(r.getCustomerId()), Times.instant(r.getReceivedAt()));
    }
}
