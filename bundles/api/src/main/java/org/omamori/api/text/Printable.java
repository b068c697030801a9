package org.omamori.api.text;

/**
 * Text from outside (file names in the drop folder, zip entry names, manifest values, exception
 * messages) made safe for a log line or an event: control characters (C0, DEL, C1), invisible
 * format characters (bidi overrides, zero width) and line and paragraph separators are written as
 * {@code \xNN} or backslash-u and four hex digits, so such text can neither start a forged log
 * line nor drive a terminal. Escaping twice changes nothing, so each layer may escape what it got.
 */
public final class Printable {

    private Printable() {
    }

    /** Whether a character must not appear raw in a name or a log line. */
    public static boolean unsafe(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Whether {@code s} holds a character that {@link #unsafe} refuses. */
    public static boolean hasUnsafe(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (unsafe(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} with unsafe characters escaped; null stays "null". */
    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        if (!hasUnsafe(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A file name fit to keep on disk and type in a shell: unsafe characters and {@code %} as
     * {@code %XX} (UTF-8 bytes, upper-case hex). Distinct names stay distinct.
     */
    public static String fileName(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 16);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (unsafe(c) || c == '%') {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * {@code s} shortened to {@code max} characters (an ellipsis marks the cut) with every unsafe
     * character shown as {@code ?}: for a name from the wire quoted in an error message.
     */
    public static String shown(String s, int max) {
        if (s == null) {
            return "(none)";
        }
        boolean cut = s.length() > max;
        String kept = cut ? s.substring(0, max) : s;
        StringBuilder sb = new StringBuilder(kept.length() + 1);
        for (int i = 0; i < kept.length(); i++) {
            char c = kept.charAt(i);
            sb.append(unsafe(c) ? '?' : c);
        }
        return cut ? sb.append('…').toString() : sb.toString();
    }
}
