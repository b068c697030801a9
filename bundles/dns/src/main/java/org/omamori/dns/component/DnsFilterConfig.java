package org.omamori.dns.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the DNS filter (PID {@code org.omamori.dns}); every key has a working default. */
@ObjectClassDefinition(name = "Omamori DNS filter",
        description = "The resolver the customer LAN uses: names in blocking categories are answered locally, the rest forwarded.")
public @interface DnsFilterConfig {

    @AttributeDefinition(name = "Listen",
            description = "Where to answer (UDP and TCP), as [zone=]address:port, e.g. lan=0.0.0.0:53 or ssid-secondary=[fd00::1]:53. Zone defaults to lan.")
    String[] listen() default {"lan=127.0.0.1:10053"};

    @AttributeDefinition(name = "Upstream resolvers",
            description = "IP addresses (optionally :port, IPv6 in brackets) tried in order. Empty: the first nameserver of /etc/resolv.conf, else 1.1.1.1.")
    String[] upstreams() default {};

    @AttributeDefinition(name = "Upstream timeout (ms)", min = "1")
    int upstreamTimeoutMillis() default 2000;

    @AttributeDefinition(name = "Block mode", description = "address: A/AAAA get the block-page address; nxdomain: the name does not exist.")
    String blockMode() default "address";

    @AttributeDefinition(name = "Block address (IPv4)", description = "Answer to A queries for blocked names: the appliance's block page, or 0.0.0.0.")
    String blockAddressV4() default "0.0.0.0";

    @AttributeDefinition(name = "Block address (IPv6)", description = "Answer to AAAA queries for blocked names: the appliance's block page, or ::.")
    String blockAddressV6() default "::";

    @AttributeDefinition(name = "Block answer TTL (s)", min = "0", max = "86400")
    int blockTtlSeconds() default 10;

    @AttributeDefinition(name = "Cache entries", description = "Upstream answers kept at most; 0 turns the cache off.", min = "0")
    int cacheMaxEntries() default 10_000;

    @AttributeDefinition(name = "Cache TTL cap (s)", description = "Longest an answer is kept, whatever its TTL.", min = "0")
    int cacheMaxTtlSeconds() default 3_600;

    @AttributeDefinition(name = "Client rate (queries/s)", description = "Average rate one client address may query; 0 for no limit.", min = "0")
    double clientRate() default 200;

    @AttributeDefinition(name = "Client burst", description = "Queries a client may send at once above its rate.", min = "1")
    int clientBurst() default 400;

    @AttributeDefinition(name = "Client in flight", description = "Queries of one client worked on at once; 0 for no limit.", min = "0")
    int clientInFlight() default 64;

    @AttributeDefinition(name = "In flight, all clients", min = "1")
    int maxInFlight() default 1_024;

    @AttributeDefinition(name = "Tracked clients", description = "Client addresses with their own budget; beyond, new ones share one.", min = "1")
    int maxClients() default 10_000;

    @AttributeDefinition(name = "Over the limit", description = "refuse: answer REFUSED; drop: send nothing. Counted either way.")
    String overLimit() default "refuse";

    @AttributeDefinition(name = "TCP connections", min = "1")
    int maxTcpConnections() default 256;

    @AttributeDefinition(name = "TCP idle timeout (ms)", min = "1")
    int tcpIdleTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Event window (s)",
            description = "Queries of the same name, category and client within this window are one access-log event with a count; a blocked name's repeats past its first few events too (Blocks sent alone). 0: one event per query.",
            min = "0", max = "3600")
    int eventWindowSeconds() default 60;

    @AttributeDefinition(name = "Event keys",
            description = "Names, categories and clients counted at once in a window; past it the counts held are sent early.", min = "1")
    int eventMaxKeys() default 10_000;

    @AttributeDefinition(name = "Blocks sent alone",
            description = "Blocks of one name and client in a window that are each sent at once as their own threat event; only the repeats past them (a looping client) are one event with a count.",
            min = "1", max = "100000")
    int eventBlocksAlone() default 30;
}
