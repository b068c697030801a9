package org.omamori.grading;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.events.Result;

/**
 * The star table: which events become important alerts of which grade. It is data, a UTF-8 text
 * file ({@code stars.table} in this bundle is the standard; a reseller may ship its own), read
 * strictly: any line that is not understood fails the whole table with its file and line.
 *
 * <pre>
 * dedup 1h                                          # repeats within this time are one alert
 * rule  &lt;id&gt; &lt;grade&gt; &lt;condition&gt;...               # grades one event; the first that matches wins
 * count &lt;id&gt; &lt;grade&gt; &lt;condition&gt;... distinct=rule|evidence|peer at-least=N within=24h
 *                                                   # grades a host's recent events together
 * </pre>
 * A grade is {@code ★★★ ★★☆ ★☆☆ 調査中 none}; a condition is {@code key=v1,v2} (any of),
 * {@code key!=v1,v2} (none of), or for {@code level} and {@code confidence} a comparison
 * ({@code confidence<50}, {@code level>=high}); see {@link Condition} for the keys. A rule with no
 * condition matches everything. {@code #} starts a comment.
 */
public final class StarTable {

    /** The longest a count rule may look back: the grader keeps no more per host. */
    public static final Duration HORIZON = Duration.ofHours(24);
    /** The standard table's resource name, next to this class. */
    public static final String STANDARD = "stars.table";

    /** One grading rule for single events. */
    public record Rule(String id, Grade grade, List<Condition> when) {
        public Rule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(grade, "grade");
            when = List.copyOf(when);
        }

        public boolean matches(Facts f) {
            return when.stream().allMatch(c -> c.test(f));
        }
    }

    /** What a count rule counts as different. */
    public enum Distinct {
        /** Different engine rules or signatures ({@code clamav:A}, {@code clamav:B}, {@code sid:…}). */
        RULE,
        /** Different evidence (malware, phishing, exploit-attempt, …). */
        EVIDENCE,
        /** Different other sides (servers, or clients for inbound traffic). */
        PEER
    }

    /**
     * A rule over one host's recent events: it grades when at least {@code atLeast} different
     * events (by {@code distinct}) that meet {@code when} fall within {@code within}, the last of
     * them being the event just seen.
     */
    public record CountRule(String id, Grade grade, List<Condition> when, Distinct distinct, int atLeast,
                            Duration within) {
        public CountRule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(grade, "grade");
            Objects.requireNonNull(distinct, "distinct");
            Objects.requireNonNull(within, "within");
            when = List.copyOf(when);
        }

        public boolean matches(Facts f) {
            return when.stream().allMatch(c -> c.test(f));
        }

        /** The value that makes two counted events different. */
        public String distinctValue(Facts f) {
            return switch (distinct) {
                case RULE -> f.ruleId();
                case EVIDENCE -> f.evidence().id();
                case PEER -> f.peerKey();
            };
        }
    }

    private static final Pattern SPACE = Pattern.compile("[\\s\\u3000]+");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern CONDITION = Pattern.compile("([a-z-]+)(>=|<=|!=|=|<|>)(.*)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(s|m|h|d)");
    private static final Pattern VALUE = Pattern.compile("[a-z0-9][a-z0-9._:/+_-]{0,127}\\*?|[a-z0-9]?\\*");

    private final String name;
    private final Duration dedup;
    private final List<Rule> rules;
    private final List<CountRule> counts;

    private StarTable(String name, Duration dedup, List<Rule> rules, List<CountRule> counts) {
        this.name = name;
        this.dedup = dedup;
        this.rules = List.copyOf(rules);
        this.counts = List.copyOf(counts);
    }

    /** The table shipped with this bundle (docs/grading.md). */
    public static StarTable standard() {
        try (InputStream in = StarTable.class.getResourceAsStream(STANDARD)) {
            if (in == null) {
                throw new IllegalStateException(STANDARD + " is missing from the grading bundle");
            }
            return parse(STANDARD, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (StarTableException e) {
            throw new IllegalStateException("the shipped " + STANDARD + " is invalid: " + e.getMessage(), e);
        }
    }

    /** A reseller's or operator's table from a file. */
    public static StarTable parse(Path file) throws IOException, StarTableException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(String.valueOf(file.getFileName()), in);
        }
    }

    /**
     * Reads a table.
     *
     * @param name what errors call the file
     * @throws StarTableException naming the line that is wrong and what was expected
     */
    public static StarTable parse(String name, Reader text) throws IOException, StarTableException {
        BufferedReader in = new BufferedReader(text);
        Duration dedup = null;
        List<Rule> rules = new ArrayList<>();
        List<CountRule> counts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int hash = line.indexOf('#');
            String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.length() > 2048) {
                throw new StarTableException(name, number, "line longer than 2048 characters");
            }
            List<String> words = Arrays.asList(SPACE.split(s));
            switch (words.getFirst()) {
                case "dedup" -> {
                    if (dedup != null) {
                        throw new StarTableException(name, number, "dedup given twice");
                    }
                    if (words.size() != 2) {
                        throw new StarTableException(name, number, "expected 'dedup <time>', e.g. 'dedup 1h'");
                    }
                    dedup = duration(words.get(1), name, number, "dedup");
                }
                case "rule", "count" -> {
                    if (words.size() < 3) {
                        throw new StarTableException(name, number, "expected '" + words.getFirst()
                                + " <id> <grade> <condition>...'");
                    }
                    String id = words.get(1);
                    if (!ID.matcher(id).matches()) {
                        throw new StarTableException(name, number, "bad rule id '" + id
                                + "' (1-64 of a-z, 0-9 and -, starting with a letter)");
                    }
                    if (!ids.add(id)) {
                        throw new StarTableException(name, number, "rule id '" + id + "' used twice");
                    }
                    Grade grade;
                    try {
                        grade = Grade.parse(words.get(2));
                    } catch (IllegalArgumentException e) {
                        throw new StarTableException(name, number, e.getMessage());
                    }
                    List<String> rest = words.subList(3, words.size());
                    if (words.getFirst().equals("rule")) {
                        List<Condition> when = new ArrayList<>();
                        for (String w : rest) {
                            when.add(condition(w, name, number));
                        }
                        rules.add(new Rule(id, grade, when));
                    } else {
                        counts.add(count(id, grade, rest, name, number));
                    }
                }
                default -> throw new StarTableException(name, number, "expected 'dedup', 'rule' or 'count' but found '"
                        + clip(words.getFirst()) + "'");
            }
        }
        if (rules.isEmpty() && counts.isEmpty()) {
            throw new StarTableException(name, Math.max(number, 1), "the table has no rule");
        }
        return new StarTable(name, dedup == null ? Duration.ofHours(1) : dedup, rules, counts);
    }

    private static CountRule count(String id, Grade grade, List<String> words, String file, int line)
            throws StarTableException {
        if (!grade.alerts()) {
            throw new StarTableException(file, line, "a count rule must grade (★★★, ★★☆, ★☆☆ or 調査中), not 'none'");
        }
        List<Condition> when = new ArrayList<>();
        Distinct distinct = null;
        Integer atLeast = null;
        Duration within = null;
        for (String w : words) {
            if (w.startsWith("distinct=")) {
                try {
                    distinct = Distinct.valueOf(w.substring("distinct=".length()).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new StarTableException(file, line, "bad '" + clip(w) + "' (expected distinct=rule, evidence or peer)");
                }
            } else if (w.startsWith("at-least=")) {
                String n = w.substring("at-least=".length());
                if (!n.matches("\\d{1,4}") || Integer.parseInt(n) < 2) {
                    throw new StarTableException(file, line, "bad '" + clip(w) + "' (expected a number of 2 or more)");
                }
                atLeast = Integer.parseInt(n);
            } else if (w.startsWith("within=")) {
                within = duration(w.substring("within=".length()), file, line, "within");
                if (within.compareTo(HORIZON) > 0) {
                    throw new StarTableException(file, line, "within=" + w.substring(7) + " is longer than the "
                            + HORIZON.toHours() + "h the grader keeps");
                }
            } else {
                when.add(condition(w, file, line));
            }
        }
        if (distinct == null || atLeast == null || within == null) {
            throw new StarTableException(file, line, "a count rule needs distinct=, at-least= and within=");
        }
        return new CountRule(id, grade, when, distinct, atLeast, within);
    }

    private static Condition condition(String word, String file, int line) throws StarTableException {
        Matcher m = CONDITION.matcher(word.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new StarTableException(file, line, "expected a condition such as 'evidence=malware' but found '"
                    + clip(word) + "'");
        }
        String key = m.group(1);
        String op = m.group(2);
        if (!Condition.KEYS.contains(key)) {
            throw new StarTableException(file, line, "unknown key '" + key + "' (expected one of "
                    + String.join(", ", Condition.KEYS) + ")");
        }
        boolean ordered = key.equals("level") || key.equals("confidence");
        if (!ordered && !op.equals("=") && !op.equals("!=")) {
            throw new StarTableException(file, line, key + " takes = or !=, not " + op);
        }
        List<String> values = Arrays.asList(m.group(3).split(",", -1));
        if (!op.equals("=") && !op.equals("!=") && values.size() != 1) {
            throw new StarTableException(file, line, key + op + " takes one value");
        }
        for (String v : values) {
            String problem = problem(key, v);
            if (problem != null) {
                throw new StarTableException(file, line, "bad value '" + clip(v) + "' for " + key + ": " + problem);
            }
        }
        return new Condition(key, op, values);
    }

    /** What is wrong with a value for a key, or null when it is fine. */
    private static String problem(String key, String v) {
        if (v.isEmpty()) {
            return "empty";
        }
        try {
            switch (key) {
                case "evidence" -> {
                    if (!v.equals("none")) {
                        new Evidence(v);
                    }
                }
                case "result" -> Result.fromWire(v);
                case "level" -> Level.valueOf(v.toUpperCase(Locale.ROOT));
                case "confidence" -> {
                    if (!v.matches("\\d{1,3}") || Integer.parseInt(v) > 100) {
                        return "expected 0 to 100";
                    }
                }
                case "direction" -> Flow.valueOf(v.toUpperCase(Locale.ROOT));
                case "from", "to" -> new Zone(v);
                case "function" -> new SecurityFunction(v);
                default -> {
                    if (!VALUE.matcher(v).matches()) {
                        return "expected an id such as sid:9000012 or category:c2, optionally ending in *";
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return switch (key) {
                case "result" -> "expected pass, block, neutralise or not-scanned";
                case "level" -> "expected low, medium, high or critical";
                case "direction" -> "expected outbound, inbound or internal";
                default -> e.getMessage();
            };
        }
        return null;
    }

    private static Duration duration(String text, String file, int line, String what) throws StarTableException {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new StarTableException(file, line, "bad " + what + " time '" + clip(text) + "' (expected e.g. 90s, 30m, 1h, 24h)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (what.equals("dedup") && d.compareTo(HORIZON) > 0) {
            throw new StarTableException(file, line, "dedup longer than " + HORIZON.toHours() + "h");
        }
        return d;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** The first rule that matches, if any; its grade may be {@link Grade#NONE}. */
    public Optional<Rule> grade(Facts f) {
        for (Rule r : rules) {
            if (r.matches(f)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** What errors and logs call this table. */
    public String name() {
        return name;
    }

    /** Repeats of one finding (rule, host, other side) closer than this are one alert. */
    public Duration dedup() {
        return dedup;
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<CountRule> counts() {
        return counts;
    }

    /** The longest window of the count rules, at least the dedup time. */
    public Duration longestWindow() {
        Duration d = dedup;
        for (CountRule c : counts) {
            if (c.within().compareTo(d) > 0) {
                d = c.within();
            }
        }
        return d;
    }
}
