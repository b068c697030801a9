package org.omamori.store;

import java.time.Instant;

import org.omamori.events.Event;

/** An event as stored: the event, whose customer it is, and when the cloud received it. */
public record StoredEvent(Event event, CustomerId customer, Instant receivedAt) {
}
