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
        return new StoreSettings("jdbc:h2:file:" + path.toAbsolutePath() + ";WRITE_DELAY=0", "sa", "", 10);
    }

    /**
     * The embedded default of a cloud home: an H2 file at {@code state/cloud/omamori}, opened with
     * AUTO_SERVER so that the operator's commands ({@code ./omamori cloud outbox}, {@code customer},
     * {@code appliance}) can use it while the node runs, and WRITE_DELAY=0 so that a commit is in
     * the file when the appliance hears "stored" (H2 otherwise writes commits up to 500 ms later:
     * CloudCrashTest lost an acknowledged batch per kill -9 without it).
     */
    public static String defaultJdbcUrl(java.nio.file.Path home) {
        return "jdbc:h2:file:" + home.resolve("state/cloud/omamori").toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /**
     * The settings a cloud home configures in {@code etc/org.omamori.store.cfg} (keys {@code jdbcUrl},
     * {@code user}, {@code .password}, {@code poolSize}), the embedded default where none is given.
     */
    public static StoreSettings ofHome(java.nio.file.Path home) throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        java.nio.file.Path cfg = home.resolve("etc/org.omamori.store.cfg");
        if (java.nio.file.Files.exists(cfg)) {
            try (var in = java.nio.file.Files.newBufferedReader(cfg, java.nio.charset.StandardCharsets.UTF_8)) {
                p.load(in);
            }
        }
        String url = p.getProperty("jdbcUrl", "").trim();
        return new StoreSettings(url.isEmpty() ? defaultJdbcUrl(home) : url, p.getProperty("user", "sa").trim(),
                p.getProperty(".password", ""), 2);
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
