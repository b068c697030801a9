package org.omamori.events;

import java.net.InetAddress;
import java.util.Optional;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.ZonePair;

/**
 * What makes two application identifications the same (see {@link EventTally#applications()}); its
 * hash worked out once, as {@link EventFacts}' is.
 */
record ApplicationKey(int hash, String ruleId, String ruleName, InetAddress source, Optional<MacAddress> mac, ZonePair zones,
                      String engineId, String engineVersion, ApplianceId appliance, Result result, Level level,
                      Evidence evidence, String note) {

    static ApplicationKey of(Event e) {
        int h = EventFacts.mix(1, e.ruleId());
        h = EventFacts.mix(EventFacts.mix(EventFacts.mix(EventFacts.mix(h, e.ruleName()), e.source()), e.mac()), e.zones());
        h = EventFacts.mix(EventFacts.mix(EventFacts.mix(EventFacts.mix(h, e.engineId()), e.engineVersion()), e.appliance()), e.result());
        h = EventFacts.mix(EventFacts.mix(EventFacts.mix(h, e.level()), e.evidence()), e.note());
        return new ApplicationKey(h, e.ruleId(), e.ruleName(), e.source(), e.mac(), e.zones(), e.engineId(), e.engineVersion(),
                e.appliance(), e.result(), e.level(), e.evidence(), e.note());
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
