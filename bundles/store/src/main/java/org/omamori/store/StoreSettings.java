package org.omamori.store;

import java.util.Objects;

/**
 * How to reach the database. The JDBC URL chooses it: {@code jdbc:h2:...} or
 * {@code jdbc:postgresql://...}. The password never appears in {@link #toString()}.
 */
public record StoreSettings(String jdbcUrl, String user, String password, int poolSize) {

    public StoreSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:h2: or jdbc:postgresql: — got "
                    + jdbcUrl.replaceAll("(?i)password=[^;&]*", "password=***"));
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("poolSize must be 1..200: " + poolSize);
        }
    }

    /** An embedded H2 database in a file ({@code path} without the .mv.db suffix). */
    public static StoreSettings h2File(java.nio.file.Path path) {
        return new StoreSettings("jdbc:h2:file:" + path.toAbsolutePath(), "sa", "", 10);
    }

    public boolean postgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "StoreSettings[jdbcUrl=" + jdbcUrl.replaceAll("(?i)password=[^;&]*", "password=***") + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "***") + ", poolSize=" + poolSize + "]";
    }
}
