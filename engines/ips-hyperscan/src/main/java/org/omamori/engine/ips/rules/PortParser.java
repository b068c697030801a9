package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Port fields: {@code any}, {@code 80}, {@code 80:90}, {@code 1024:}, {@code :1023},
 * {@code $HTTP_PORTS}, {@code !x}, nested lists. Ports are few enough to compute exactly as a
 * set of 65,536 bits, so every combination of negations and lists is exact.
 */
final class PortParser extends GroupParser<BitSet> {

    private static final int PORTS = 65536;
    private static final BitSet ALL = new BitSet(PORTS);

    static {
        ALL.set(0, PORTS);
    }

    PortParser(Variables variables) {
        super("port", variables.ports(), variables.addresses());
    }

    /** The field as ranges: included ones, or, when shorter, everything but excluded ones. */
    PortSpec spec(String field) throws RuleSyntaxError, UnsupportedFeature {
        BitSet ports = parse(field);
        if (ports.cardinality() == PORTS) {
            return PortSpec.ANY;
        }
        BitSet missing = (BitSet) ALL.clone();
        missing.andNot(ports);
        List<PortSpec.Range> in = ranges(ports);
        List<PortSpec.Range> out = ranges(missing);
        // PortSpec matches "not excluded" when it includes nothing and excludes something.
        if (!ports.isEmpty() && out.size() < in.size()) {
            return new PortSpec(false, List.of(), out);
        }
        return new PortSpec(false, in, List.of());
    }

    private static List<PortSpec.Range> ranges(BitSet ports) {
        List<PortSpec.Range> ranges = new ArrayList<>();
        for (int from = ports.nextSetBit(0); from >= 0; ) {
            int to = ports.nextClearBit(from) - 1;
            ranges.add(new PortSpec.Range(from, to));
            from = to + 1 < PORTS ? ports.nextSetBit(to + 1) : -1;
        }
        return ranges;
    }

    @Override
    BitSet everything() {
        return ALL;
    }

    @Override
    BitSet literal(String token) throws RuleSyntaxError {
        int colon = token.indexOf(':');
        int from;
        int to;
        if (colon < 0) {
            from = port(token, token);
            to = from;
        } else {
            String a = token.substring(0, colon);
            String b = token.substring(colon + 1);
            if (a.isEmpty() && b.isEmpty()) {
                throw new RuleSyntaxError("bad port range '" + clip(token) + "'");
            }
            from = a.isEmpty() ? 0 : port(a, token);
            to = b.isEmpty() ? PORTS - 1 : port(b, token);
            if (from > to) {
                throw new RuleSyntaxError("bad port range '" + clip(token) + "': " + from + " > " + to);
            }
        }
        BitSet s = new BitSet(PORTS);
        s.set(from, to + 1);
        return s;
    }

    private static int port(String s, String token) throws RuleSyntaxError {
        if (s.isEmpty() || s.length() > 5) {
            throw new RuleSyntaxError("bad port '" + clip(token) + "'");
        }
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new RuleSyntaxError("bad port '" + clip(token) + "'");
            }
            value = value * 10 + (c - '0');
        }
        if (value >= PORTS) {
            throw new RuleSyntaxError("port " + value + " out of range in '" + clip(token) + "'");
        }
        return value;
    }

    @Override
    BitSet complement(BitSet s) throws RuleSyntaxError {
        BitSet c = (BitSet) ALL.clone();
        c.andNot(s);
        if (c.isEmpty()) {
            throw new RuleSyntaxError("!any matches no port");
        }
        return c;
    }

    @Override
    BitSet union(BitSet a, BitSet b) {
        BitSet u = (BitSet) a.clone();
        u.or(b);
        return u;
    }

    @Override
    BitSet minus(BitSet a, BitSet b) {
        BitSet m = (BitSet) a.clone();
        m.andNot(b);
        return m;
    }
}
