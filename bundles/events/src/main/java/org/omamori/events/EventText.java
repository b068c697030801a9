package org.omamori.events;

/**
 * Control characters in event text. An event's text comes from hostile traffic (a URL, a DNS
 * name, a Host header), yet it ends up in a database (PostgreSQL refuses NUL in text) and in mail
 * headers and bodies (CR and LF split them). So no event holds one: where an event is made they
 * are written as {@code \xNN}, and the cloud refuses a document that still carries one.
 */
public final class EventText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventText() {
    }

    /** C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F). */
    public static boolean isControl(char c) {
        return c < 0x20 || (char) (c - 0x7f) <= 0x9f - 0x7f; // the second range as one unsigned comparison
    }

    /** The position of the first control character, or -1. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} with each control character written as {@code \xNN} (lower-case hex); the same string when it has none. */
    public static String escape(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** At most {@code max} characters, never ending in the first half of a surrogate pair. */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    /** What the codec and the cloud say about a control character (never the text around it). */
    static String describe(String field, String text, int at) {
        return "field '" + field + "' holds a control character (U+" + String.format("%04X", (int) text.charAt(at)) + ") at position "
                + at + "; an appliance writes it as \\xNN";
    }
}
