package org.omamori.definitions;

/**
 * A package version: one to four dot-separated decimal numbers without leading zeros, e.g.
 * {@code 42} or {@code 2026.11.23.1}, compared number by number ({@code 1.10 > 1.9}; a missing
 * number counts as 0, so {@code 1 == 1.0}). The text is also the folder name of the version, so it
 * is canonical and safe as a path segment.
 */
public record PackageVersion(String text, long[] numbers) implements Comparable<PackageVersion> {

    private static final int MAX_PARTS = 4;
    private static final int MAX_DIGITS = 9;

    public PackageVersion {
        numbers = numbers.clone();
    }

    /** Parses a version; IllegalArgumentException says what is wrong with it. */
    public static PackageVersion parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_PARTS * (MAX_DIGITS + 1)) {
            throw new IllegalArgumentException("version must be 1 to 4 dot-separated numbers like 2026.11.23.1, got '" + text + "'");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > MAX_PARTS) {
            throw new IllegalArgumentException("version '" + text + "' has more than " + MAX_PARTS + " numbers");
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > MAX_DIGITS || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("version '" + text + "': each number must have 1 to " + MAX_DIGITS
                        + " digits and no leading zero");
            }
            for (int c = 0; c < p.length(); c++) {
                if (p.charAt(c) < '0' || p.charAt(c) > '9') {
                    throw new IllegalArgumentException("version '" + text + "' may hold only digits and dots");
                }
            }
            numbers[i] = Long.parseLong(p);
        }
        return new PackageVersion(text, numbers);
    }

    @Override
    public long[] numbers() {
        return numbers.clone();
    }

    @Override
    public int compareTo(PackageVersion o) {
        int n = Math.max(numbers.length, o.numbers.length);
        for (int i = 0; i < n; i++) {
            long a = i < numbers.length ? numbers[i] : 0;
            long b = i < o.numbers.length ? o.numbers[i] : 0;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        return 0;
    }

    public boolean isNewerThan(PackageVersion o) {
        return compareTo(o) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageVersion v && text.equals(v.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
