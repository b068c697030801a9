package org.omamori.api.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of a list setting ({@code String[]} in a component's configuration type). Felix
 * FileInstall hands {@code listeners = a, b} from a {@code .cfg} file to such a property as one
 * value {@code "a, b"}, while ConfigAdmin and defaults give one value per entry: both are read
 * here as entries separated by commas, stripped, empty ones dropped. Entries cannot contain commas.
 */
public final class ListSetting {

    private ListSetting() {
    }

    /** The entries of {@code values}, in order; none for null. */
    public static List<String> entries(String... values) {
        List<String> entries = new ArrayList<>();
        if (values == null) {
            return entries;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String entry : value.split(",")) {
                String e = entry.strip();
                if (!e.isEmpty()) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }
}
