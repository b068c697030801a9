package org.omamori.smtp;

/** What the intake does with a mail in which the antivirus found an infected attachment. */
public enum InfectedAction {
    /** Replace each infected attachment by the notice and deliver the mail. */
    REPLACE,
    /** Refuse the whole mail with 554; the sender gets it back from its own server. */
    REFUSE;

    public static InfectedAction parse(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "replace" -> REPLACE;
            case "refuse" -> REFUSE;
            default -> throw new IllegalArgumentException("infected must be replace or refuse: " + text);
        };
    }
}
