package org.omamori.grading;

import java.util.Locale;

/**
 * How important an alert is (000 §4.3.1). Ordered from least to most important, so the subject
 * of a mail carrying several alerts takes the {@link #max} of them.
 */
public enum Grade {
    /** Not an important alert: shown in the portal, never mailed. */
    NONE("", "なし", "none", ""),
    /** Suspicious but unconfirmed; a follow-up report is mailed when the investigation completes. */
    UNDER_INVESTIGATION("", "調査中", "under investigation", "マルウェアに感染しているか調査中のもの"),
    LOW("★☆☆", "低", "low", "マルウェアに感染している可能性は低いが、セキュリティ上の注意を促すもの"),
    MEDIUM("★★☆", "中", "medium", "マルウェアに感染している可能性があり、ウイルス対策ソフトでフルスキャンを推奨するもの"),
    HIGH("★★★", "高", "high", "マルウェアに感染している可能性が高く、ウイルス対策ソフトでフルスキャンを強く推奨するもの");

    private final String stars;
    private final String labelJa;
    private final String labelEn;
    private final String meaningJa;

    Grade(String stars, String labelJa, String labelEn, String meaningJa) {
        this.stars = stars;
        this.labelJa = labelJa;
        this.labelEn = labelEn;
        this.meaningJa = meaningJa;
    }

    /** {@code ★★★}, {@code ★★☆}, {@code ★☆☆}; empty for {@link #UNDER_INVESTIGATION} and {@link #NONE}. */
    public String stars() {
        return stars;
    }

    public String labelJa() {
        return labelJa;
    }

    public String labelEn() {
        return labelEn;
    }

    /** The seed's words for what the grade means (000 §4.3.1); empty for {@link #NONE}. */
    public String meaningJa() {
        return meaningJa;
    }

    /**
     * How the mail shows it: {@code 重要度: ★★★(高)}, or {@code ※調査中※} (000 §4.3.1); empty for
     * {@link #NONE}.
     */
    public String mark() {
        return switch (this) {
            case NONE -> "";
            case UNDER_INVESTIGATION -> "※調査中※";
            default -> "重要度: " + stars + "(" + labelJa + ")";
        };
    }

    /** Whether an alert of this grade is an important alert (mailed unless suppressed). */
    public boolean alerts() {
        return this != NONE;
    }

    /** The more important of the two. */
    public Grade max(Grade other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /**
     * Reads a grade as the star table writes it: the stars, {@code 調査中}, {@code none}, or the
     * English names {@code high}, {@code medium}, {@code low}, {@code investigate}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Grade parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "★★★", "high" -> HIGH;
            case "★★☆", "medium" -> MEDIUM;
            case "★☆☆", "low" -> LOW;
            case "調査中", "※調査中※", "investigate", "under-investigation" -> UNDER_INVESTIGATION;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("unknown grade '" + text
                    + "' (expected ★★★, ★★☆, ★☆☆, 調査中 or none; or high, medium, low, investigate)");
        };
    }
}
