package org.omamori.ids.conformance;

import java.util.List;
import java.util.Map;

/** A suricata-verify {@code requires:} block read for Suricata {@value SuricataVerifySelect#AS_VERSION}. */
final class Requires {

    private Requires() {
    }

    /** Null when nothing in the block rules the test (or check) out; else why. */
    static String unmet(Object block) {
        if (!(block instanceof Map<?, ?> map)) {
            return null;
        }
        int[] us = version(SuricataVerifySelect.AS_VERSION);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (key) {
                case "min-version" -> {
                    if (compare(us, version(String.valueOf(v))) < 0) {
                        return "needs Suricata " + v;
                    }
                }
                case "lt-version" -> {
                    if (compare(us, version(String.valueOf(v))) >= 0) {
                        return "only for Suricata before " + v;
                    }
                }
                case "gt-version" -> {
                    if (compare(us, version(String.valueOf(v))) <= 0) {
                        return "only for Suricata after " + v;
                    }
                }
                case "version" -> {
                    if (!SuricataVerifySelect.AS_VERSION.startsWith(String.valueOf(v).strip())) {
                        return "only for Suricata " + v;
                    }
                }
                case "features" -> {
                    if (v instanceof List<?> l && !l.isEmpty()) {
                        return "requires feature " + String.join(", ", l.stream().map(String::valueOf).toList());
                    }
                }
                case "pcap" -> {
                    if (Boolean.FALSE.equals(v)) {
                        return "no capture (requires pcap: false)";
                    }
                }
                default -> {
                    return "requires " + key + " " + v;
                }
            }
        }
        return null;
    }

    static int[] version(String s) {
        String[] parts = s.strip().split("[.\\-]");
        int[] v = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                break;
            }
        }
        return v;
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
