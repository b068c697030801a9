package org.omamori.store;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A customer's company data (000 §7.6), as reseller staff keep it: the company name and the
 * contact person's name, department, title, mail address, the address and the phone number. Every
 * field but the name may be empty; each is one line, bounded, without control characters.
 */
public record CustomerProfile(String name, String contactName, String department, String title, String mail,
                              String address, String phone) {

    private static final Pattern MAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()\\-]{5,28}");

    public CustomerProfile {
        name = line(name, "company name", 200);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a customer needs a company name");
        }
        contactName = line(contactName, "contact name", 100);
        department = line(department, "department", 100);
        title = line(title, "title", 100);
        mail = line(mail, "mail address", 254);
        address = line(address, "address", 300);
        phone = line(phone, "phone number", 30);
        if (!mail.isEmpty() && !MAIL.matcher(mail).matches()) {
            throw new IllegalArgumentException("the contact's mail address is not a mail address (name@example.co.jp)");
        }
        if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
            throw new IllegalArgumentException("the phone number holds digits, spaces, '-', '(', ')' and a leading '+' only");
        }
    }

    private static String line(String value, String what, int max) {
        String v = Objects.requireNonNullElse(value, "").strip();
        if (v.length() > max) {
            throw new IllegalArgumentException("the " + what + " is at most " + max + " characters");
        }
        if (v.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new IllegalArgumentException("the " + what + " is one line without control characters");
        }
        return v;
    }
}
