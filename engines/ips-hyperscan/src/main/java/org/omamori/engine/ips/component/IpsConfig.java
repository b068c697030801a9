package org.omamori.engine.ips.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Omamori IPS engine",
        description = "Suricata-compatible rules matched with Hyperscan. Paths are relative to the appliance home.")
public @interface IpsConfig {

    @AttributeDefinition(description = "Rule files, or folders whose *.rules files are read in name order.")
    String[] rules() default {"rules"};

    @AttributeDefinition(description = "The HOME_NET address group; empty for the private ranges (RFC 1918, fc00::/7).")
    String homeNet() default "";

    @AttributeDefinition(description = "The EXTERNAL_NET address group; empty for !$HOME_NET.")
    String externalNet() default "";

    @AttributeDefinition(description = "alert rules at this level or above block; drop and reject rules always block.",
            options = {@Option(value = "low"), @Option(value = "medium"), @Option(value = "high"), @Option(value = "critical"),
                       @Option(value = "never", label = "never: alert rules only alert")})
    String blockLevel() default "high";

    @AttributeDefinition(description = "Bytes of each body direction kept to confirm rules (memory bound per flow).", min = "1024")
    int windowBytes() default 65536;

    @AttributeDefinition(description = "Bytes of each body direction inspected; the rest passes and the event says so.", min = "0")
    long maxBodyBytes() default 67108864L;

    @AttributeDefinition(description = "A classification.config whose classtypes replace or add to the built-in ones; empty for none.")
    String classification() default "";

    @AttributeDefinition(description = "Suricata's global threshold.config (suppress, threshold, rate_filter), read besides one"
            + " in a rule folder or beside a rule file; kept when a definitions package replaces the rules. Empty for none;"
            + " a file that does not exist is none.")
    String thresholdFile() default "rules/threshold.config";

    @AttributeDefinition(description = "Where the compiled Hyperscan databases of the rules are kept across restarts (keyed by"
            + " the rules' patterns, Hyperscan's version and the CPU), so a restart with the same rules loads them instead of"
            + " compiling; empty to compile at every start.")
    String databaseCache() default "state/hyperscan";
}
