package org.omamori.engine.urlfilter;

import java.util.Objects;
import java.util.regex.Pattern;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Level;

/**
 * A category of the lists: the name of its directory, what it does and how it is shown.
 *
 * @param id      directory name, lower case letters, digits, {@code _} and {@code -}
 * @param action  block or log only
 * @param level   severity of a match
 * @param labelJa label shown to Japanese users
 * @param labelEn label shown in English
 */
public record Category(String id, ListAction action, Level level, String labelJa, String labelEn) {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public Category {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(labelJa, "labelJa");
        Objects.requireNonNull(labelEn, "labelEn");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("category id must be 1-64 of [a-z0-9_-], starting with a letter or digit: " + id);
        }
    }

    /** The settings a category gets when categories.conf has no line for it. */
    public static Category withDefaults(String id) {
        return switch (id) {
            case "phishing" -> new Category(id, ListAction.BLOCK, Level.HIGH, "フィッシング詐欺", "Phishing");
            case "malware" -> new Category(id, ListAction.BLOCK, Level.HIGH, "マルウェア配布", "Malware distribution");
            case "c2" -> new Category(id, ListAction.BLOCK, Level.CRITICAL, "不正通信先 (C&C)", "Command and control");
            default -> new Category(id, ListAction.LOG, Level.LOW, id, id);
        };
    }

    public boolean blocks() {
        return action == ListAction.BLOCK;
    }

    /**
     * The engine finding for a match in this category: {@code category:<id>}, "ja / en", and the
     * grading evidence of the threat categories (phishing, malware, c2); access-log categories none.
     */
    public Finding finding() {
        return new Finding("category:" + id, labelJa + " / " + labelEn, level, 100, evidence());
    }

    Evidence evidence() {
        return switch (id) {
            case "phishing" -> Evidence.PHISHING;
            case "malware" -> Evidence.MALWARE;
            case "c2" -> Evidence.INFECTION;
            default -> Evidence.NONE;
        };
    }
}
