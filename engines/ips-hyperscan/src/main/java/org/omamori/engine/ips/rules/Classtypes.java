package org.omamori.engine.ips.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;

/**
 * Rule classes ({@code classtype:}) and how their findings are graded: a {@link Level} and an
 * {@link Evidence}. Read from {@code classification.config} (Suricata's format plus our
 * {@code config grading:} lines, see the resource), and optionally an operator's override file
 * in the same format whose lines replace or add to the standard ones.
 *
 * <p>The level comes from the priority, the rule's own {@code priority:} if it has one, else its
 * class's: 1 → {@link Level#HIGH}, or {@link Level#CRITICAL} for a class marked {@code critical}
 * (trojan-activity, command-and-control, domain-c2, malware-cnc: a host very likely infected);
 * 2 → {@link Level#MEDIUM}; 3, 4 and beyond → {@link Level#LOW}. An unknown class gives
 * {@link Level#LOW} and {@link Evidence#SUSPICIOUS} whatever the priority, and is reported by
 * {@link #unknownIn}; a rule without a class grades by its priority (3 when absent) as suspicious.
 */
public final class Classtypes {

    /** Suricata's priority for a rule with neither a priority nor a class. */
    public static final int DEFAULT_PRIORITY = 3;

    /**
     * One class.
     *
     * @param critical a priority-1 finding of this class is {@link Level#CRITICAL}
     */
    public record Classtype(String name, String description, int priority, Evidence evidence, boolean critical) {
        public Classtype {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /** How a finding of a rule grades; {@code known} is false when its class is not listed. */
    public record Grade(Level level, Evidence evidence, boolean known) {
        public Grade {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    private static final Grade UNKNOWN = new Grade(Level.LOW, Evidence.SUSPICIOUS, false);
    private static final String RESOURCE = "classification.config";

    private final Map<String, Classtype> byName;

    private Classtypes(Map<String, Classtype> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The classes shipped with the engine. */
    public static Classtypes standard() {
        try (InputStream in = Classtypes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the engine bundle");
            }
            return parse(RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuleParseException e) {
            throw new IllegalStateException("the shipped " + RESOURCE + " is invalid: " + e.getMessage(), e);
        }
    }

    /** Reads a file in this format on its own. */
    public static Classtypes parse(String name, Reader text) throws IOException, RuleParseException {
        return new Classtypes(Map.of()).with(name, text);
    }

    /** These classes with an operator's file laid over them. */
    public Classtypes with(Path overrides) throws IOException, RuleParseException {
        try (Reader in = Files.newBufferedReader(overrides, StandardCharsets.UTF_8)) {
            return with(String.valueOf(overrides.getFileName()), in);
        }
    }

    /** These classes with {@code text} laid over them: a line replaces or adds one class or grading. */
    public Classtypes with(String name, Reader text) throws IOException, RuleParseException {
        Map<String, Classtype> map = new LinkedHashMap<>(byName);
        BufferedReader in = new BufferedReader(text);
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (s.length() > 1024) {
                throw new RuleParseException(name, number, "line longer than 1024 characters");
            }
            if (s.startsWith("config classification:")) {
                classification(s.substring("config classification:".length()), map, name, number);
            } else if (s.startsWith("config grading:")) {
                grading(s.substring("config grading:".length()), map, name, number);
            } else {
                throw new RuleParseException(name, number, "expected 'config classification:' or 'config grading:'");
            }
        }
        return new Classtypes(map);
    }

    private static void classification(String value, Map<String, Classtype> map, String file, int line)
            throws RuleParseException {
        int first = value.indexOf(',');
        int last = value.lastIndexOf(',');
        if (first < 0 || first == last) {
            throw new RuleParseException(file, line, "classification: expected shortname,description,priority");
        }
        String shortName = shortName(value.substring(0, first), file, line);
        String description = value.substring(first + 1, last).strip();
        int priority = priority(value.substring(last + 1).strip(), file, line);
        Classtype old = map.get(shortName);
        map.put(shortName, new Classtype(shortName, description, priority,
                old == null ? Evidence.SUSPICIOUS : old.evidence(), old != null && old.critical()));
    }

    private static void grading(String value, Map<String, Classtype> map, String file, int line) throws RuleParseException {
        String[] parts = value.split(",", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new RuleParseException(file, line, "grading: expected shortname,evidence[,critical]");
        }
        String shortName = shortName(parts[0], file, line);
        Classtype old = map.get(shortName);
        if (old == null) {
            throw new RuleParseException(file, line, "grading: no classification line for " + shortName + " before it");
        }
        String id = parts[1].strip().toLowerCase(Locale.ROOT);
        Evidence evidence;
        try {
            evidence = id.equals("none") ? Evidence.NONE : new Evidence(id);
        } catch (IllegalArgumentException e) {
            throw new RuleParseException(file, line, "grading: bad evidence '" + id + "'");
        }
        boolean critical = false;
        if (parts.length == 3) {
            if (!parts[2].strip().equals("critical")) {
                throw new RuleParseException(file, line, "grading: expected 'critical' but found '" + parts[2].strip() + "'");
            }
            critical = true;
        }
        map.put(shortName, new Classtype(shortName, old.description(), old.priority(), evidence, critical));
    }

    private static String shortName(String s, String file, int line) throws RuleParseException {
        String n = s.strip().toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.length() > 64 || !n.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
            throw new RuleParseException(file, line, "bad class name '" + s.strip() + "'");
        }
        return n;
    }

    private static int priority(String s, String file, int line) throws RuleParseException {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(s) < 1) {
            throw new RuleParseException(file, line, "bad priority '" + s + "'");
        }
        return Integer.parseInt(s);
    }

    public Optional<Classtype> get(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** All classes, by name. */
    public Map<String, Classtype> all() {
        return byName;
    }

    /** The grade of a rule of class {@code classtype} with explicit {@code priority} (0: none). */
    public Grade grade(String classtype, int priority) {
        if (classtype.isEmpty()) {
            return new Grade(level(priority > 0 ? priority : DEFAULT_PRIORITY, false), Evidence.SUSPICIOUS, true);
        }
        Classtype c = byName.get(classtype.toLowerCase(Locale.ROOT));
        if (c == null) {
            return UNKNOWN;
        }
        return new Grade(level(priority > 0 ? priority : c.priority(), c.critical()), c.evidence(), true);
    }

    public Grade grade(Rule rule) {
        return grade(rule.classtype(), rule.priority());
    }

    /** 1 → HIGH (CRITICAL when {@code critical}), 2 → MEDIUM, anything else → LOW. */
    public static Level level(int priority, boolean critical) {
        return switch (priority) {
            case 1 -> critical ? Level.CRITICAL : Level.HIGH;
            case 2 -> Level.MEDIUM;
            default -> Level.LOW;
        };
    }

    /** The classes rules use that are not listed here, to report when rules are loaded. */
    public Set<String> unknownIn(Collection<Rule> rules) {
        Set<String> unknown = new TreeSet<>();
        for (Rule r : rules) {
            if (!r.classtype().isEmpty() && !byName.containsKey(r.classtype().toLowerCase(Locale.ROOT))) {
                unknown.add(r.classtype());
            }
        }
        return unknown;
    }
}
