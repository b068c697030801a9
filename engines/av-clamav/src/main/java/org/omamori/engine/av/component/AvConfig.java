package org.omamori.engine.av.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Omamori antivirus (ClamAV)",
        description = "Scans downloads and uploads with a ClamAV daemon on this machine.")
public @interface AvConfig {

    @AttributeDefinition(description = "clamd's address; loopback only.")
    String clamdHost() default "127.0.0.1";

    @AttributeDefinition(description = "clamd's TCP port (scripts/clamd.sh starts it on 3399).", min = "1", max = "65535")
    int clamdPort() default 3399;

    @AttributeDefinition(description = "clamd's local socket (LocalSocket in clamd.conf), relative to the home. "
            + "'auto': run/clamd/clamd.sock (scripts/clamd.sh's) whenever it connects, bodies then go by FILDES; "
            + "while it is absent, refuses or is not permitted, TCP host and port (tried again every 2 s). "
            + "'none': TCP only. A path: that socket only.")
    String clamdSocket() default "auto";

    @AttributeDefinition(description = "What happens to a body that cannot be scanned (clamd down, timeout, over the limit).",
            options = {@Option(value = "open", label = "fail open: pass it, the event says 'not scanned' and why"),
                       @Option(value = "closed", label = "fail closed: block it")})
    String failurePolicy() default "open";

    @AttributeDefinition(description = "Decoded bytes of one body scanned at most; keep it at or below clamd's StreamMaxLength.", min = "1")
    long maxScanBytes() default 67108864L;

    @AttributeDefinition(description = "How long clamd may take to answer one scan.", min = "1")
    long scanTimeoutMillis() default 30000L;

    @AttributeDefinition(description = "Concurrent scans, one clamd connection each.", min = "1")
    int maxConnections() default 16;

    @AttributeDefinition(description = "Seconds clamd's answer for a body of up to 1 MiB is reused for identical content "
            + "(byte for byte equal); 0 turns the cache off. A signature update reaches content seen before within this time.", min = "0")
    long cacheSeconds() default 60;
}
