package org.omamori.ids;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.omamori.ids.capture.CaptureException;

/**
 * What a replay read and found.
 *
 * @param format           pcap or pcapng
 * @param packets          packets read
 * @param bytes            captured packet bytes read
 * @param skipped          packets not inspected, by reason (fragment, not IP, cut, ...)
 * @param tcpFlows         TCP connections seen
 * @param httpFlows        of which HTTP
 * @param httpRequests     HTTP requests parsed and inspected
 * @param httpResponses    HTTP responses parsed
 * @param dnsQueries       DNS queries inspected
 * @param events           events made
 * @param threatEvents     threat events with a finding or a block (what makes the exit code 1)
 * @param eventsByResult   events by result (pass, block, ...)
 * @param eventsByFunction events by security function (ips, url-filtering, ...)
 * @param topRules         the rules that gave the most events, most first
 * @param reassembly       TCP and HTTP details: bytes in order, retransmissions, gaps, parse errors
 * @param limits           what exceeded a bound and was dropped or cut short (empty when nothing did)
 * @param error            why reading stopped early, when it did
 */
public record ReplaySummary(String format, long packets, long bytes, Map<String, Long> skipped, long tcpFlows,
                            long httpFlows, long httpRequests, long httpResponses, long dnsQueries, long events,
                            long threatEvents, Map<String, Long> eventsByResult, Map<String, Long> eventsByFunction,
                            List<RuleCount> topRules, Map<String, Long> reassembly, Map<String, Long> limits,
                            Optional<CaptureException> error) {

    /** A rule and how many events it gave. */
    public record RuleCount(String ruleId, String ruleName, long events) {
    }

    public ReplaySummary {
        skipped = Map.copyOf(skipped);
        eventsByResult = Map.copyOf(eventsByResult);
        eventsByFunction = Map.copyOf(eventsByFunction);
        topRules = List.copyOf(topRules);
        reassembly = Map.copyOf(reassembly);
        limits = Map.copyOf(limits);
    }

    /** The human summary, in the CLI's style. */
    public void print(PrintWriter out) {
        out.printf("読み込み / read: %s, %,d packets, %,d bytes%n", format, packets, bytes);
        if (!skipped.isEmpty()) {
            out.println("  not inspected: " + counts(skipped));
        }
        out.printf("フロー / flows: %,d TCP (%,d HTTP)%n", tcpFlows, httpFlows);
        out.printf("HTTP: %,d requests, %,d responses   DNS: %,d queries%n", httpRequests, httpResponses, dnsQueries);
        out.printf("イベント / events: %,d (%,d threats)%n", events, threatEvents);
        if (events > 0) {
            out.println("  by result:   " + counts(eventsByResult));
            out.println("  by function: " + counts(eventsByFunction));
        }
        if (!topRules.isEmpty()) {
            out.println("top rules:");
            for (RuleCount r : topRules) {
                out.printf("  %,8d  %-14s %s%n", r.events(), r.ruleId(), r.ruleName());
            }
        }
        out.println("reassembly: " + counts(reassembly));
        if (!limits.isEmpty()) {
            out.println("制限 / limits reached: " + counts(limits));
        }
        error.ifPresent(e -> out.println("中断 / stopped early: " + e.getMessage()));
        out.flush();
    }

    private static String counts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> s.append(s.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(String.format("%,d", e.getValue())));
        return s.isEmpty() ? "-" : s.toString();
    }
}
