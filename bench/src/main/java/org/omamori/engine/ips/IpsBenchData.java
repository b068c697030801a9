package org.omamori.engine.ips;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Synthetic, deterministic IPS benchmark data: Suricata rules shaped like ET Open web/malware
 * rules (two response-body contents with {@code distance:0; within:N}, some {@code nocase}, about
 * 10 % with a relative {@code pcre} instead of the second content, a few with {@code |hex|}
 * bytes), HTTP-like response bodies that contain the trigger of about 1 % of the rules and fully
 * match three of them, and the same rules as {@code java.util.regex} patterns.
 */
final class IpsBenchData {

    static final long RULE_SEED = 0x1D5_2026L;
    static final long PAYLOAD_SEED = 0xB0D1_2026L;
    /** Rules whose complete conditions each payload satisfies; the other planted rules only see their trigger. */
    static final int CONFIRMED_PER_PAYLOAD = 3;
    /** One planted trigger occurrence per this many payload bytes (at least one per planted rule). */
    static final int BYTES_PER_TRIGGER = 4096;

    /** Printable ASCII that needs no escaping in a rule's content: no {@code " ; \ | :}. */
    private static final String ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=?&%!@#*()[]{}<>,+~$'^";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private IpsBenchData() {
    }

    /**
     * One rule as generated.
     *
     * @param second the second content, or null when the rule has a pcre instead
     * @param pcreName the literal word the pcre starts with ({@code /name=[0-9a-f]{4,16}&/R}), or null
     */
    record BenchRule(int sid, byte[] first, byte[] second, String pcreName, int within, boolean nocase, boolean hex,
                     String text) {

        String pcre() {
            return pcreName + "=[0-9a-f]{4,16}&";
        }

        /** The content the engine hands to Hyperscan: the longest one, the first on a tie. */
        byte[] trigger() {
            return second != null && second.length > first.length ? second : first;
        }

        /**
         * The rule as one Java regex: the contents quoted in order, joined by the gap Suricata
         * allows ({@code distance:0; within:W} puts the second content's end at most W bytes after
         * the first's, so at most {@code W - len2} bytes between them), or {@code .*?} before the
         * relative pcre; CASE_INSENSITIVE (ASCII, as Suricata's nocase) when the rule is nocase.
         */
        Pattern javaPattern() {
            String regex = Pattern.quote(latin1(first))
                    + (second != null ? "(?s:.{0," + (within - second.length) + "})" + Pattern.quote(latin1(second))
                            : "(?s:.*?)(?:" + pcre() + ")");
            return Pattern.compile(regex, nocase ? Pattern.CASE_INSENSITIVE : 0);
        }
    }

    /** A response body and what it should make each variant report. */
    record Payload(byte[] bytes, Set<Integer> triggerSids, Set<Integer> confirmedSids) {
    }

    static List<BenchRule> rules(int count) {
        Random rnd = new Random(RULE_SEED);
        List<BenchRule> out = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            boolean pcre = rnd.nextInt(100) < 10;
            boolean nocase = rnd.nextInt(100) < 20;
            boolean hex = rnd.nextInt(100) < 4;
            StringBuilder firstText = new StringBuilder();
            byte[] first = content(rnd, hex, firstText);
            int within = 64 + rnd.nextInt(449);
            StringBuilder text = new StringBuilder(256);
            text.append("alert http $EXTERNAL_NET any -> $HOME_NET any (msg:\"BENCH ").append(n)
                    .append("\"; flow:established,to_client; http.response_body; content:\"").append(firstText).append("\";");
            if (nocase) {
                text.append(" nocase;");
            }
            byte[] second = null;
            String pcreName = null;
            if (pcre) {
                pcreName = random(rnd, LOWER_ALNUM, 4 + rnd.nextInt(3));
                text.append(" pcre:\"/").append(pcreName).append("=[0-9a-f]{4,16}&/R").append(nocase ? "i" : "").append("\";");
            } else {
                StringBuilder secondText = new StringBuilder();
                second = content(rnd, false, secondText);
                text.append(" content:\"").append(secondText).append("\";");
                if (nocase) {
                    text.append(" nocase;");
                }
                text.append(" distance:0; within:").append(within).append(';');
            }
            text.append(" classtype:trojan-activity; sid:").append(n).append("; rev:1;)");
            out.add(new BenchRule(n, first, second, pcreName, within, nocase, hex, text.toString()));
        }
        return out;
    }

    /** 8-24 printable bytes; with {@code hex}, 2-3 of them written as a {@code |hex|} block (control or high bytes). */
    private static byte[] content(Random rnd, boolean hex, StringBuilder ruleText) {
        int length = 8 + rnd.nextInt(17);
        byte[] bytes = new byte[length];
        int hexAt = hex ? 2 + rnd.nextInt(length - 5) : -1;
        int hexLength = hex ? 2 + rnd.nextInt(2) : 0;
        for (int i = 0; i < length; i++) {
            if (i == hexAt) {
                ruleText.append('|');
                for (int k = 0; k < hexLength; k++) {
                    int b = rnd.nextBoolean() ? rnd.nextInt(0x20) : 0x80 + rnd.nextInt(0x80);
                    bytes[i + k] = (byte) b;
                    ruleText.append(k == 0 ? "" : " ").append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 15));
                }
                ruleText.append('|');
                i += hexLength - 1;
            } else {
                char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
                bytes[i] = (byte) c;
                ruleText.append(c);
            }
        }
        return bytes;
    }

    private static String random(Random rnd, String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Writes the rules to {@code bench.rules} in a new temporary folder, which it returns. */
    static Path write(List<BenchRule> rules) {
        try {
            Path dir = Files.createTempDirectory("omamori-ips-bench");
            List<String> lines = new ArrayList<>(rules.size() + 1);
            lines.add("# synthetic benchmark rules, seed " + RULE_SEED);
            rules.forEach(r -> lines.add(r.text()));
            Files.write(dir.resolve("bench.rules"), lines, StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    // ---- payloads ------------------------------------------------------------------------------

    private static final String[] TOKENS = {
        "<div class=\"", "\">", "</div>\n", "<span>", "</span>", "<a href=\"/", "</a>", "<script>", "</script>\n",
        "<p>", "</p>\n", "<li>", "</li>", "<img src=\"/static/", ".png\" alt=\"", "function ", "var ", "return ",
        "if (", ") {\n", "};\n", " = ", " += ", "document.getElementById('", "')", "window.", "console.log(",
        "{\"id\":", ",\"name\":\"", "\",\"value\":", ",\"items\":[", "]}", "null", "true", "false", "\n", "\n  ",
        "\t", " ", " ", " ", "  ", ", ", "; ", ".", "/", "?q=", "&page=", "#top",
    };
    private static final String[] WORDS = {
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "tempor", "content",
        "header", "footer", "main", "nav", "button", "container", "row", "col", "item", "list", "user", "account",
        "settings", "profile", "search", "results", "price", "cart", "checkout", "order", "product", "category",
        "jquery", "bootstrap", "analytics", "config", "data", "value", "length", "index", "element", "event",
        "handler", "click", "submit", "form", "input", "label", "title", "description", "image", "thumbnail",
    };

    /**
     * An HTTP-like body of {@code size} bytes: HTML, JavaScript and JSON fragments, words, numbers
     * and whitespace, with the triggers of {@code max(1, rules/100)} rules planted at even spacing
     * (one occurrence per {@value #BYTES_PER_TRIGGER} bytes, at least one per planted rule) and,
     * in the last slots, the complete conditions of {@value #CONFIRMED_PER_PAYLOAD} of them (one
     * with a pcre). The last slots stay in the engine's 64 KiB window whatever the size.
     */
    static Payload payload(int size, List<BenchRule> rules) {
        Random rnd = new Random(PAYLOAD_SEED ^ size);
        byte[] bytes = filler(size, rnd);
        // Rules to plant: one with a pcre first (confirmed), then distinct random ones.
        List<BenchRule> chosen = plantedRules(rules, rnd);
        int planted = chosen.size();
        Set<Integer> triggers = new TreeSet<>();
        Set<Integer> confirmed = new TreeSet<>();
        int slots = Math.max(planted, size / BYTES_PER_TRIGGER);
        int spacing = size / slots;
        if (spacing < 100) {
            throw new IllegalArgumentException(size + " bytes are too few to plant " + planted + " rules' triggers");
        }
        int unconfirmed = planted - CONFIRMED_PER_PAYLOAD;
        for (int slot = 0; slot < slots; slot++) {
            int at = slot * spacing + rnd.nextInt(Math.max(1, spacing - 120));
            int fromEnd = slots - 1 - slot;
            if (fromEnd < CONFIRMED_PER_PAYLOAD) {
                BenchRule r = chosen.get(fromEnd);
                plantMatch(bytes, at, r, rnd);
                confirmed.add(r.sid());
                triggers.add(r.sid());
            } else {
                BenchRule r = chosen.get(CONFIRMED_PER_PAYLOAD + slot % unconfirmed);
                put(bytes, at, r.trigger(), r.nocase(), rnd);
                triggers.add(r.sid());
            }
        }
        return new Payload(bytes, triggers, confirmed);
    }

    /**
     * Typical traffic: the same filler with one planted trigger per {@value #BYTES_PER_TRIGGER}
     * bytes (one in a 1 KiB body), taken in turn from the same planted rules as {@link #payload}
     * (a pcre rule first), and no rule's complete conditions: every trigger is a candidate that
     * does not confirm, and the verdict is clean.
     */
    static Payload sparsePayload(int size, List<BenchRule> rules) {
        Random rnd = new Random(PAYLOAD_SEED ^ size);
        byte[] bytes = filler(size, rnd);
        List<BenchRule> chosen = plantedRules(rules, rnd);
        Set<Integer> triggers = new TreeSet<>();
        int slots = Math.max(1, size / BYTES_PER_TRIGGER);
        int spacing = size / slots;
        for (int slot = 0; slot < slots; slot++) {
            int at = slot * spacing + rnd.nextInt(Math.max(1, spacing - 120));
            BenchRule r = chosen.get(slot % chosen.size());
            put(bytes, at, r.trigger(), r.nocase(), rnd);
            triggers.add(r.sid());
        }
        return new Payload(bytes, triggers, Set.of());
    }

    /** The rules whose triggers a payload carries: one with a pcre first, then distinct random ones. */
    private static List<BenchRule> plantedRules(List<BenchRule> rules, Random rnd) {
        int planted = Math.max(CONFIRMED_PER_PAYLOAD + 1, rules.size() / 100);
        List<BenchRule> chosen = new ArrayList<>();
        List<BenchRule> pcreRules = rules.stream().filter(r -> r.second() == null).toList();
        chosen.add(pcreRules.get(rnd.nextInt(pcreRules.size())));
        while (chosen.size() < planted) {
            BenchRule r = rules.get(rnd.nextInt(rules.size()));
            if (!chosen.contains(r)) {
                chosen.add(r);
            }
        }
        return chosen;
    }

    /** The rule's first content, then within its bounds the second content or a string its pcre matches. */
    private static void plantMatch(byte[] bytes, int at, BenchRule r, Random rnd) {
        put(bytes, at, r.first(), r.nocase(), rnd);
        int end = at + r.first().length;
        if (r.second() != null) {
            int gap = rnd.nextInt(Math.min(40, r.within() - r.second().length) + 1);
            put(bytes, end + gap, r.second(), r.nocase(), rnd);
        } else {
            int gap = rnd.nextInt(41);
            String hit = r.pcreName() + "=" + random(rnd, HEX, 4 + rnd.nextInt(13)) + "&";
            put(bytes, end + gap, latin1(hit), r.nocase(), rnd);
        }
    }

    /** Overwrites payload bytes; a nocase content goes in with random letter case. */
    private static void put(byte[] bytes, int at, byte[] what, boolean nocase, Random rnd) {
        for (int i = 0; i < what.length; i++) {
            byte b = what[i];
            if (nocase && Character.isLetter(b & 0xFF) && (b & 0xFF) < 0x80 && rnd.nextBoolean()) {
                b = (byte) (b ^ 0x20);
            }
            bytes[at + i] = b;
        }
    }

    /** The payload of that size without anything planted: the same filler bytes, no rule's trigger. */
    static byte[] cleanPayload(int size) {
        return filler(size, new Random(PAYLOAD_SEED ^ size));
    }

    private static byte[] filler(int size, Random rnd) {
        StringBuilder s = new StringBuilder(size + 64);
        while (s.length() < size) {
            int k = rnd.nextInt(10);
            if (k < 4) {
                s.append(TOKENS[rnd.nextInt(TOKENS.length)]);
            } else if (k < 8) {
                s.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextInt(3) == 0 ? "-" : " ");
            } else {
                s.append(rnd.nextInt(100_000)).append(rnd.nextBoolean() ? "," : " ");
            }
        }
        s.setLength(size);
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
