package org.omamori.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A mailbox from an SMTP path (RFC 5321 §4.1.2), checked strictly: a dot-string or quoted local
 * part of at most 64 bytes, a domain of letters, digits and hyphens (UTF-8 labels only where the
 * client asked for SMTPUTF8) or an address literal. Control characters, CR and LF never get this
 * far; {@code %}, {@code !} and {@code @} in the local part are refused, as they would route the
 * mail on past the relay domain (the "percent hack").
 *
 * @param local  the local part as written (quotes kept)
 * @param domain the domain, lower case
 */
public record MailAddress(String local, String domain) {

    /** The null reverse path {@code <>} of bounces. */
    public static final MailAddress NULL = new MailAddress("", "");

    public boolean isNull() {
        return local.isEmpty() && domain.isEmpty();
    }

    /** Whether any part is outside ASCII (needs SMTPUTF8). */
    public boolean international() {
        for (int i = 0; i < local.length(); i++) {
            if (local.charAt(i) > 0x7e) {
                return true;
            }
        }
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) > 0x7e) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return isNull() ? "" : local + "@" + domain;
    }

    /** The path as written on the wire: {@code <local@domain>}. */
    public String path() {
        return "<" + this + ">";
    }

    /** Parses the inside of {@code <...>}; empty means the null path. */
    static MailAddress parse(String inside) throws CommandException {
        if (inside.isEmpty()) {
            return NULL;
        }
        if (inside.startsWith("@")) {
            throw new CommandException(553, "5.1.0", "Source routes are not accepted");
        }
        int at = inside.lastIndexOf('@');
        if (at <= 0 || at == inside.length() - 1) {
            throw new CommandException(553, "5.1.3", "Address must be local-part@domain");
        }
        String local = inside.substring(0, at);
        String domain = inside.substring(at + 1);
        checkLocal(local);
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".") && !d.startsWith("[")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!isDomain(d)) {
            throw new CommandException(553, "5.1.2", "Bad domain in address");
        }
        return new MailAddress(local, d);
    }

    private static void checkLocal(String local) throws CommandException {
        if (local.getBytes(StandardCharsets.UTF_8).length > 64) {
            throw new CommandException(553, "5.1.3", "Local part longer than 64 bytes");
        }
        if (local.startsWith("\"")) {
            if (local.length() < 2 || !local.endsWith("\"")) {
                throw new CommandException(553, "5.1.3", "Bad quoted local part");
            }
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c == '\\') {
                    i++;
                    if (i >= local.length() - 1) {
                        throw new CommandException(553, "5.1.3", "Bad quoted local part");
                    }
                    c = local.charAt(i);
                } else if (c == '"') {
                    throw new CommandException(553, "5.1.3", "Bad quoted local part");
                }
                if (c < 0x20 || c == 0x7f) {
                    throw new CommandException(553, "5.1.3", "Bad quoted local part");
                }
                if (c == '%' || c == '!' || c == '@') {
                    throw new CommandException(553, "5.7.1", "Routing characters in the local part are not accepted");
                }
            }
            return;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new CommandException(553, "5.1.3", "Bad local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '%' || c == '!' || c == '@') {
                throw new CommandException(553, "5.7.1", "Routing characters in the local part are not accepted");
            }
            if (!(atext(c) || c == '.')) {
                throw new CommandException(553, "5.1.3", "Bad local part");
            }
        }
    }

    private static boolean atext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
                || (c > 0x7f && !Character.isISOControl(c) && !Character.isSpaceChar(c));
    }

    /** A domain name (letters, digits, hyphens; UTF-8 labels) or an address literal. */
    static boolean isDomain(String d) {
        if (d.isEmpty() || d.getBytes(StandardCharsets.UTF_8).length > 255) {
            return false;
        }
        if (d.startsWith("[")) {
            if (!d.endsWith("]")) {
                return false;
            }
            String lit = d.substring(1, d.length() - 1);
            if (lit.startsWith("ipv6:")) {
                return lit.length() > 5 && lit.substring(5).matches("[0-9a-f:.]{2,45}");
            }
            return lit.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.getBytes(StandardCharsets.UTF_8).length > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                        || (c > 0x7f && (Character.isLetterOrDigit(Character.codePointAt(label, i)) || Character.isSurrogate(c)))
                        || c == 'ー' || c == '々';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
