package org.omamori.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of TCP ports written as a list setting: single ports and ranges, e.g. {@code 80, 1024-65535}.
 *
 * @param ranges inclusive ranges, each {@code [low, high]}
 */
public record PortSet(List<int[]> ranges) {

    public PortSet {
        ranges = List.copyOf(ranges);
    }

    /** Parses entries such as {@code 443}, {@code 8000-8999}; the message names the bad entry. */
    public static PortSet parse(List<String> entries) {
        List<int[]> ranges = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.strip();
            int dash = e.indexOf('-');
            int low = port(dash < 0 ? e : e.substring(0, dash), entry);
            int high = dash < 0 ? low : port(e.substring(dash + 1), entry);
            if (high < low) {
                throw new IllegalArgumentException("port range '" + entry + "' ends before it starts");
            }
            ranges.add(new int[] {low, high});
        }
        return new PortSet(ranges);
    }

    public static PortSet of(String... entries) {
        return parse(List.of(entries));
    }

    private static int port(String text, String entry) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 5 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + entry + "' is not a port or a port range like 8000-8999");
        }
        int port = Integer.parseInt(t);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port '" + entry + "' is out of range 1-65535");
        }
        return port;
    }

    public boolean contains(int port) {
        for (int[] r : ranges) {
            if (port >= r[0] && port <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int[] r : ranges) {
            if (!s.isEmpty()) {
                s.append(", ");
            }
            s.append(r[0]);
            if (r[1] != r[0]) {
                s.append('-').append(r[1]);
            }
        }
        return s.toString();
    }
}
