package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Address fields: {@code any}, {@code 192.0.2.1}, {@code 10.0.0.0/8}, {@code 2001:db8::/32},
 * {@code $HOME_NET}, {@code !x}, nested lists. Literals are parsed by hand, never through
 * {@code InetAddress.getByName}, which would look host names up in the DNS.
 *
 * <p>The result is kept in the form {@link AddressSpec} can hold: (everything or a union of
 * blocks) minus a union of blocks. The few combinations that form cannot hold exactly, such as
 * a negated list that itself has exceptions ({@code ![10.0.0.0/8,!10.1.0.0/16]}), make the rule
 * skipped under {@code address-negation} rather than approximated.
 */
final class AddressParser extends GroupParser<AddressParser.Blocks> {

    /** (all ? everything : union of include) minus union of exclude. */
    record Blocks(boolean all, List<AddressSpec.Cidr> include, List<AddressSpec.Cidr> exclude) {
        static final Blocks ALL = new Blocks(true, List.of(), List.of());

        AddressSpec toSpec() {
            if (all) {
                return exclude.isEmpty() ? AddressSpec.ANY : new AddressSpec(false, List.of(), exclude);
            }
            return new AddressSpec(false, include, exclude);
        }
    }

    AddressParser(Variables variables) {
        super("address", variables.addresses(), variables.ports());
    }

    AddressSpec spec(String field) throws RuleSyntaxError, UnsupportedFeature {
        return parse(field).toSpec();
    }

    @Override
    Blocks everything() {
        return Blocks.ALL;
    }

    @Override
    Blocks literal(String token) throws RuleSyntaxError {
        return new Blocks(false, List.of(cidr(token)), List.of());
    }

    @Override
    Blocks complement(Blocks s) throws RuleSyntaxError, UnsupportedFeature {
        if (s.all()) {
            if (s.exclude().isEmpty()) {
                throw new RuleSyntaxError("!any matches no address");
            }
            return new Blocks(false, s.exclude(), List.of());
        }
        if (!s.exclude().isEmpty()) {
            throw new UnsupportedFeature("address-negation", "a negated address list with exceptions");
        }
        return new Blocks(true, List.of(), s.include());
    }

    @Override
    Blocks union(Blocks a, Blocks b) throws UnsupportedFeature {
        if (isEverything(a) || isEverything(b)) {
            return Blocks.ALL;
        }
        if (a.exclude().isEmpty() && b.exclude().isEmpty()) {
            return new Blocks(false, concat(a.include(), b.include()), List.of());
        }
        throw new UnsupportedFeature("address-negation", "a union of address lists with exceptions");
    }

    @Override
    Blocks minus(Blocks a, Blocks b) throws UnsupportedFeature {
        if (!b.all() && b.exclude().isEmpty()) {
            return new Blocks(a.all(), a.include(), concat(a.exclude(), b.include()));
        }
        if (isEverything(a) && b.all()) {
            // everything minus (everything minus E) is E
            return new Blocks(false, b.exclude(), List.of());
        }
        throw new UnsupportedFeature("address-negation", "an address list taking away a negated list");
    }

    private static boolean isEverything(Blocks s) {
        return s.all() && s.exclude().isEmpty();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** {@code 192.0.2.0/24}, {@code 192.0.2.1}, {@code 2001:db8::/32}, {@code ::1}. */
    static AddressSpec.Cidr cidr(String token) throws RuleSyntaxError {
        int slash = token.indexOf('/');
        String host = slash < 0 ? token : token.substring(0, slash);
        byte[] address = host.indexOf(':') >= 0 ? ipv6(host) : ipv4(host);
        if (address == null) {
            throw new RuleSyntaxError("bad address '" + clip(token) + "'");
        }
        int prefix = address.length * 8;
        if (slash >= 0) {
            String p = token.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !digits(p)) {
                throw new RuleSyntaxError("bad prefix length in '" + clip(token) + "'");
            }
            prefix = Integer.parseInt(p);
            if (prefix > address.length * 8) {
                throw new RuleSyntaxError("prefix length /" + prefix + " too long in '" + clip(token) + "'");
            }
        }
        return new AddressSpec.Cidr(address, prefix);
    }

    static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || value > 255) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    static byte[] ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (gap < 0) {
            if (!groups(s, head)) {
                return null;
            }
            if (head.size() != 8) {
                return null;
            }
        } else {
            if (!groups(s.substring(0, gap), head) || !groups(s.substring(gap + 2), tail)) {
                return null;
            }
            if (head.size() + tail.size() > 7) {
                return null;
            }
        }
        byte[] out = new byte[16];
        for (int g = 0; g < head.size(); g++) {
            out[2 * g] = (byte) (head.get(g) >> 8);
            out[2 * g + 1] = (byte) (int) head.get(g);
        }
        for (int g = 0; g < tail.size(); g++) {
            int at = 8 - tail.size() + g;
            out[2 * at] = (byte) (tail.get(g) >> 8);
            out[2 * at + 1] = (byte) (int) tail.get(g);
        }
        return out;
    }

    /** Colon-separated 16-bit groups; a dotted IPv4 tail counts as two. Empty text is no group. */
    private static boolean groups(String s, List<Integer> out) {
        if (s.isEmpty()) {
            return true;
        }
        int start = 0;
        while (true) {
            int colon = s.indexOf(':', start);
            String g = colon < 0 ? s.substring(start) : s.substring(start, colon);
            if (colon < 0 && g.indexOf('.') >= 0) {
                byte[] v4 = ipv4(g);
                if (v4 == null) {
                    return false;
                }
                out.add((v4[0] & 0xFF) << 8 | (v4[1] & 0xFF));
                out.add((v4[2] & 0xFF) << 8 | (v4[3] & 0xFF));
                return out.size() <= 8;
            }
            if (g.isEmpty() || g.length() > 4) {
                return false;
            }
            int value = 0;
            for (int i = 0; i < g.length(); i++) {
                int d = Character.digit(g.charAt(i), 16);
                if (d < 0) {
                    return false;
                }
                value = value << 4 | d;
            }
            out.add(value);
            if (out.size() > 8) {
                return false;
            }
            if (colon < 0) {
                return true;
            }
            start = colon + 1;
        }
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
