package org.omamori.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One customer on a reseller's (or the operator's) morning page ({@link Statistics#customerOverview}).
 *
 * @param openHigh    open ★★★ alerts: state OPEN, not suppressed, raised within the last 90 days
 * @param openMedium  open ★★☆ alerts, likewise
 * @param appliances  its appliances
 * @param stopped     of those, stopped now: a heartbeat came once, none within {@link Fleet#STOPPED_AFTER}
 * @param neverSeen   of those, never seen (no heartbeat yet)
 * @param lastContact the latest heartbeat of any of its appliances (when the cloud received it)
 * @param definitionsSince of its appliances that reported, the one whose definition versions have
 *                    gone longest unchanged: since when (the definitions' age); empty when none reported
 */
public record CustomerOverview(CustomerId customer, String name, ResellerId reseller, long openHigh, long openMedium,
                               int appliances, int stopped, int neverSeen, Optional<Instant> lastContact,
                               Optional<Instant> definitionsSince) {
}
