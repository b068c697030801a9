package org.omamori.ids;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges that are "ours" ({@code --home-net}): hosts inside are in the LAN zone,
 * others in the WAN. Parsed once, from text like {@code 192.168.1.0/24,fd00::/8}.
 */
public record HomeNet(List<Range> ranges) {

    /** One CIDR range, as a 128-bit prefix (IPv4 as mapped addresses). */
    public record Range(long hi, long lo, int bits, String text) {
        boolean contains(long ahi, long alo) {
            if (bits == 0) {
                return true;
            }
            if (bits <= 64) {
                long mask = -1L << (64 - bits);
                return (ahi & mask) == (hi & mask);
            }
            long mask = bits == 128 ? -1L : -1L << (128 - bits);
            return ahi == hi && (alo & mask) == (lo & mask);
        }
    }

    public HomeNet {
        ranges = List.copyOf(ranges);
    }

    /** Parses comma- or space-separated CIDRs or addresses; the message names the bad entry. */
    public static HomeNet parse(String text) {
        List<Range> out = new ArrayList<>();
        for (String entry : text.trim().replace("[", "").replace("]", "").split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("'" + entry + "' is not an address or CIDR range like 192.168.1.0/24");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(host); // a literal: no name lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an address or CIDR range like 192.168.1.0/24");
            }
            byte[] b = address.getAddress();
            int max = b.length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + max);
            }
            long hi;
            long lo;
            if (b.length == 4) {
                hi = 0;
                lo = Endpoint.V4_MAPPED | ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
                bits += 96;
            } else {
                hi = 0;
                lo = 0;
                for (int i = 0; i < 8; i++) {
                    hi = hi << 8 | (b[i] & 0xFF);
                    lo = lo << 8 | (b[8 + i] & 0xFF);
                }
            }
            out.add(new Range(hi, lo, bits, entry));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no address range given");
        }
        return new HomeNet(out);
    }

    boolean contains(Endpoint e) {
        for (Range r : ranges) {
            if (r.contains(e.hi(), e.lo())) {
                return true;
            }
        }
        return false;
    }

    /** The ranges as the IPS rule variable wants them: {@code [a,b]}. */
    public String asRuleGroup() {
        StringBuilder s = new StringBuilder("[");
        for (Range r : ranges) {
            s.append(s.length() > 1 ? "," : "").append(r.text());
        }
        return s.append(']').toString();
    }
}
