package org.omamori.ids.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * One kept suricata-verify test as vendored: where its files are and the alert counts Suricata
 * gives on it. One line of {@code kept.tsv}: name, family, pcap file, rules file, checks
 * ({@code sid=count} separated by spaces; {@code *=count} is the number of all alerts), notes.
 */
record VerifyCase(String name, String family, String pcap, String rules, List<Check> checks, String notes) {

    /** Alerts of one sid (or all alerts, sid -1) must number {@code count}. */
    record Check(long sid, int count) {
        @Override
        public String toString() {
            return (sid < 0 ? "*" : Long.toString(sid)) + "=" + count;
        }

        static Check parse(String s) {
            int eq = s.indexOf('=');
            String sid = s.substring(0, eq);
            return new Check(sid.equals("*") ? -1 : Long.parseLong(sid), Integer.parseInt(s.substring(eq + 1)));
        }
    }

    String line() {
        StringBuilder c = new StringBuilder();
        for (Check k : checks) {
            c.append(c.isEmpty() ? "" : " ").append(k);
        }
        return String.join("\t", name, family, pcap, rules, c.toString(), notes);
    }

    static VerifyCase parse(String line) {
        String[] f = line.split("\t", -1);
        List<Check> checks = new ArrayList<>();
        for (String s : f[4].split(" ")) {
            checks.add(Check.parse(s));
        }
        return new VerifyCase(f[0], f[1], f[2], f[3], List.copyOf(checks), f.length > 5 ? f[5] : "");
    }

    /**
     * The family a test belongs to, for the report: the folder of a nested test
     * ({@code http-evader/http-evader-001}), else the first word of its name ({@code dns-udp-1} is dns).
     */
    static String familyOf(String name) {
        int slash = name.indexOf('/');
        if (slash > 0) {
            return name.substring(0, slash);
        }
        int dash = name.indexOf('-');
        return dash > 0 ? name.substring(0, dash) : name;
    }
}
