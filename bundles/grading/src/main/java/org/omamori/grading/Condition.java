package org.omamori.grading;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.omamori.api.engine.Level;

/**
 * One condition of a star-table line, e.g. {@code evidence=malware,phishing}, {@code confidence<50},
 * {@code level>=high}, {@code rule=sid:9000012}, {@code rule=category:*}.
 *
 * @param key    what is compared: evidence, result, level, confidence, direction, from, to,
 *               function, engine or rule
 * @param op     {@code =} (any of the values), {@code !=} (none of them), or for level and
 *               confidence {@code < <= > >=}
 * @param values the values as written, lower case; a rule value ending in {@code *} is a prefix
 */
public record Condition(String key, String op, List<String> values) {

    static final List<String> KEYS = List.of("evidence", "result", "level", "confidence", "direction", "from", "to",
            "function", "engine", "rule");

    public Condition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
    }

    public boolean test(Facts f) {
        return switch (key) {
            case "level" -> compare(f.level().ordinal(), Level.valueOf(values.getFirst().toUpperCase(Locale.ROOT)).ordinal());
            case "confidence" -> compare(f.confidence(), Integer.parseInt(values.getFirst()));
            default -> op.equals("!=") != anyEquals(text(f));
        };
    }

    private boolean compare(int actual, int wanted) {
        return switch (op) {
            case "<" -> actual < wanted;
            case "<=" -> actual <= wanted;
            case ">" -> actual > wanted;
            case ">=" -> actual >= wanted;
            case "!=" -> values.stream().noneMatch(v -> number(v) == actual);
            default -> values.stream().anyMatch(v -> number(v) == actual);
        };
    }

    private int number(String v) {
        return key.equals("level") ? Level.valueOf(v.toUpperCase(Locale.ROOT)).ordinal() : Integer.parseInt(v);
    }

    private boolean anyEquals(String actual) {
        for (String v : values) {
            if (v.endsWith("*") ? actual.startsWith(v.substring(0, v.length() - 1)) : actual.equals(v)) {
                return true;
            }
        }
        return false;
    }

    private String text(Facts f) {
        return switch (key) {
            case "evidence" -> f.evidence().id().isEmpty() ? "none" : f.evidence().id();
            case "result" -> f.result().wire();
            case "direction" -> f.flow().word();
            case "from" -> f.zones().from().id();
            case "to" -> f.zones().to().id();
            case "function" -> f.function().id();
            case "engine" -> f.engineId();
            case "rule" -> f.ruleId().toLowerCase(Locale.ROOT);
            default -> throw new IllegalStateException("unknown key " + key);
        };
    }

    @Override
    public String toString() {
        return key + op + String.join(",", values);
    }
}
