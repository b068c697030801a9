package org.omamori.spool.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.spool}; relative paths are under the {@code omamori.home} framework property. */
@ObjectClassDefinition(pid = "org.omamori.spool", name = "Omamori event spool",
        description = "The appliance's durable spool of events waiting for the cloud.")
public @interface SpoolConfig {

    @AttributeDefinition(description = "Folder of the spool's segment files, cursor and quarantine.")
    String directory() default "state/spool";

    @AttributeDefinition(description = "Bound of the spool in bytes; past it the oldest access-log events are dropped (never threats).",
            min = "8388608")
    long maxBytes() default 256L * 1024 * 1024;

    @AttributeDefinition(description = "Size of one segment file in bytes: the granularity of drops. Read at start.", min = "4096")
    long segmentBytes() default 4L * 1024 * 1024;

    @AttributeDefinition(description = "Milliseconds between forcing written events to the disk; 0 forces before each publish returns"
            + " (survives power loss, slower). A kill of the process never loses a published event either way. Read at start.", min = "0")
    long syncIntervalMillis() default 1000;

    @AttributeDefinition(description = "Seconds over which application identifications of the same application and client"
            + " are folded into one event with a count (0: one event per connection). Read at start.", min = "0", max = "3600")
    int applicationWindowSeconds() default 60;

    @AttributeDefinition(description = "Applications and clients held in a window at most; past it the held counts are sent"
            + " early (never dropped). Read at start.", min = "16", max = "1000000")
    int applicationMaxKeys() default 10_000;
}
