package org.omamori.engine.ips.rules;

import java.util.List;

/** A port field with variables resolved: any, or ranges to include and to exclude. */
public record PortSpec(boolean any, List<Range> include, List<Range> exclude) {

    public static final PortSpec ANY = new PortSpec(true, List.of(), List.of());

    public PortSpec {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean matches(int port) {
        for (Range r : exclude) {
            if (r.contains(port)) {
                return false;
            }
        }
        if (any) {
            return true;
        }
        for (Range r : include) {
            if (r.contains(port)) {
                return true;
            }
        }
        return include.isEmpty() && !exclude.isEmpty();
    }

    /** Ports {@code from..to}, both included. */
    public record Range(int from, int to) {
        public Range {
            if (from < 0 || to > 65535 || from > to) {
                throw new IllegalArgumentException("bad port range " + from + ":" + to);
            }
        }

        public boolean contains(int port) {
            return port >= from && port <= to;
        }
    }
}
