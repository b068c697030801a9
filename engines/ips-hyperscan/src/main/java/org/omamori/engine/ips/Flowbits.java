package org.omamori.engine.ips;

import java.util.Arrays;

/**
 * The flowbits an exchange has set: a few names at most (ET's GET rules set two), so an array
 * searched in turn rather than a hash set, which made four objects per exchange.
 */
final class Flowbits {

    private String[] names = new String[4];
    private int count;

    boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** Sets {@code name}; whether it was not set. */
    boolean add(String name) {
        if (indexOf(name) >= 0) {
            return false;
        }
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
        }
        names[count++] = name;
        return true;
    }

    /** Unsets {@code name}; whether it was set. */
    boolean remove(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return false;
        }
        names[i] = names[--count];
        names[count] = null;
        return true;
    }

    /** Unsets every name (a pooled state's set, for the next exchange). */
    void clear() {
        Arrays.fill(names, 0, count, null);
        count = 0;
    }

    private int indexOf(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i] == name || names[i].equals(name)) { // a rule's name is often the very string set
                return i;
            }
        }
        return -1;
    }
}
