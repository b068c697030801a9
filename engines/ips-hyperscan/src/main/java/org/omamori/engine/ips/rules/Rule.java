package org.omamori.engine.ips.rules;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed rule. Everything the engine needs to decide is here; what it cannot decide on
 * never reaches a Rule (such rules are skipped by the parser and counted by keyword).
 *
 * @param action       alert, drop, reject or pass
 * @param protocol     tcp, udp, http, dns, tls or ip
 * @param source       source addresses (variables resolved)
 * @param sourcePorts  source ports (variables resolved)
 * @param bidirectional {@code <>} rather than {@code ->}
 * @param destination  destination addresses
 * @param destinationPorts destination ports
 * @param sid          signature id
 * @param rev          revision (1 when absent)
 * @param msg          the message, may be empty
 * @param classtype    the classtype, may be empty
 * @param priority     explicit priority, 0 when absent (then the classtype's applies)
 * @param references   {@code reference:} values as written, e.g. {@code url,example.com/x}
 * @param metadata     {@code metadata:} key/value pairs, keys lower case
 * @param matches      content and pcre matches in rule order, each bound to its buffer
 * @param flow         the flow options
 * @param flowbits     flowbits operations in rule order
 * @param xbits        xbits operations in rule order
 * @param threshold    its {@code threshold:} or {@code detection_filter:}, or null
 * @param origin       where the rule was read
 */
public record Rule(RuleAction action, RuleProtocol protocol,
                   AddressSpec source, PortSpec sourcePorts, boolean bidirectional,
                   AddressSpec destination, PortSpec destinationPorts,
                   long sid, int rev, String msg, String classtype, int priority,
                   List<String> references, Map<String, List<String>> metadata,
                   List<Match> matches, Flow flow, List<Flowbit> flowbits, List<Xbit> xbits, Threshold threshold, Origin origin) {

    public Rule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourcePorts, "sourcePorts");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(destinationPorts, "destinationPorts");
        Objects.requireNonNull(msg, "msg");
        Objects.requireNonNull(classtype, "classtype");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(origin, "origin");
        references = List.copyOf(references);
        metadata = Map.copyOf(metadata);
        matches = List.copyOf(matches);
        flowbits = List.copyOf(flowbits);
        xbits = List.copyOf(xbits);
    }

    /**
     * This rule without what only compiling it reads: its matches (a compiled rule holds them as
     * its chains), msg and classtype (held by its verdict and grade), references and metadata.
     * What a compiled rule keeps to check an exchange's header and to name itself; with ET Open's
     * 24,000 rules the texts dropped were a fifth of the appliance's heap.
     */
    public Rule withoutTexts() {
        return new Rule(action, protocol, source, sourcePorts, bidirectional, destination, destinationPorts,
                sid, rev, "", "", priority, List.of(), Map.of(), List.of(), flow, flowbits, xbits, threshold, origin);
    }

    /** Where a rule came from: file name and 1-based line of its first line. */
    public record Origin(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }
}
