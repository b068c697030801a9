package org.omamori.events;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where intakes put events; the appliance's durable spool is the one in production. Once
 * {@link #publish} returns the events survive a crash of the appliance — but for application
 * identifications, which the appliance's sink folds per window first ({@link EventTally}, docs/spool-and-uplink.md "Application identifications").
 */
@ConsumerType
public interface EventSink {

    void publish(List<Event> events);

    /** Drops everything: for tools that inspect without reporting. */
    EventSink NONE = events -> { };
}
