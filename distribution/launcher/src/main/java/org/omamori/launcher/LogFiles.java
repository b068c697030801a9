package org.omamori.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The runtime's log (decision 0027): SLF4J goes to java.util.logging (slf4j-jdk14), and this
 * class sets java.util.logging up before the framework starts: one line per record to the
 * console (standard error) and to a file under the home that rotates by size and count.
 *
 * <p>Settings come from the framework properties ({@code omamori.log.*}), then from the home's
 * {@code etc/org.omamori.logging.cfg} (keys {@code level}, {@code maxFileBytes}, {@code files},
 * {@code level.<logger>}), then from system properties of the framework-property names, which win.
 */
final class LogFiles {

    static final String CONFIG_FILE = "etc/org.omamori.logging.cfg";
    static final String FILE = "omamori.log.file";
    static final String LEVEL = "omamori.log.level";
    static final String MAX_FILE_BYTES = "omamori.log.maxFileBytes";
    static final String FILES = "omamori.log.files";

    /** SLF4J's level names, as operators write them, to the levels slf4j-jdk14 logs at. */
    private static final Map<String, Level> LEVELS = Map.of("error", Level.SEVERE, "warn", Level.WARNING, "info", Level.INFO,
            "debug", Level.FINE, "trace", Level.FINEST, "off", Level.OFF);

    record Settings(Path file, Level level, long maxFileBytes, int files, Map<String, Level> loggers) {
    }

    private LogFiles() {
    }

    /** Reads the settings, or throws with the file and key of the first bad one. */
    static Settings settings(Map<String, String> framework, Path home) throws IOException {
        Map<String, String> merged = new HashMap<>();
        framework.forEach((k, v) -> {
            if (k.startsWith("omamori.log.")) {
                merged.put(k, v);
            }
        });
        Path cfg = home.resolve(CONFIG_FILE);
        String source = "framework properties";
        if (Files.isRegularFile(cfg)) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
                file.load(in);
            }
            for (String key : file.stringPropertyNames()) {
                String name = switch (key) {
                    case "level" -> LEVEL;
                    case "maxFileBytes" -> MAX_FILE_BYTES;
                    case "files" -> FILES;
                    default -> {
                        if (key.startsWith("level.") && key.length() > "level.".length()) {
                            yield "omamori.log." + key;
                        }
                        if (key.startsWith("service.") || key.startsWith("felix.")) {
                            yield null; // Configuration Admin's own keys, when FileInstall writes the file back
                        }
                        throw new IllegalArgumentException(CONFIG_FILE + ": unknown key '" + key
                                + "' (level, level.<logger>, maxFileBytes, files)");
                    }
                };
                if (name != null && System.getProperty(name) == null) {
                    merged.put(name, file.getProperty(key).trim());
                }
            }
            source = CONFIG_FILE;
        }
        Map<String, Level> loggers = new HashMap<>();
        for (var e : merged.entrySet()) {
            if (e.getKey().startsWith(LEVEL + ".")) {
                loggers.put(e.getKey().substring(LEVEL.length() + 1), level(e.getValue(), source, e.getKey()));
            }
        }
        String file = merged.get(FILE);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("framework properties: " + FILE + " is not set");
        }
        long max = number(merged.getOrDefault(MAX_FILE_BYTES, "10485760"), source, "maxFileBytes", 1024, Integer.MAX_VALUE);
        int files = (int) number(merged.getOrDefault(FILES, "10"), source, "files", 1, 1000);
        return new Settings(home.resolve(file), level(merged.getOrDefault(LEVEL, "info"), source, "level"), max, files, loggers);
    }

    private static Level level(String value, String source, String key) {
        Level level = LEVELS.get(value.trim().toLowerCase(Locale.ROOT));
        if (level == null) {
            throw new IllegalArgumentException(source + ": " + key + " = '" + value + "' is not one of error, warn, info, debug, trace, off");
        }
        return level;
    }

    private static long number(String value, String source, String key, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(source + ": " + key + " = '" + value + "' is not a whole number from " + min + " to " + max);
    }

    /**
     * java.util.logging's own shutdown hook closes every handler, which would lose the lines the
     * bundles write while the framework stops; this manager resets only when told, and the
     * launcher closes the handlers after the framework has stopped. Named before first use.
     */
    public static final class Manager extends LogManager {
        private volatile boolean resettable;

        @Override
        public void reset() {
            if (resettable) {
                super.reset();
            }
        }

        void resetNow() {
            resettable = true;
            try {
                super.reset();
            } finally {
                resettable = false;
            }
        }
    }

    /** Before anything touches java.util.logging: makes {@link Manager} its manager. */
    static void useManager() {
        System.setProperty("java.util.logging.manager", Manager.class.getName());
    }

    /** Closes the handlers (after the framework has stopped), so the last lines reach the file. */
    static void close() {
        if (LogManager.getLogManager() instanceof Manager m) {
            m.resetNow();
        }
    }

    /** Replaces java.util.logging's handlers with the console and the rotating file. */
    static void install(Settings settings) throws IOException {
        Files.createDirectories(settings.file().toAbsolutePath().getParent());
        if (LogManager.getLogManager() instanceof Manager m) {
            m.resetNow();
        } else {
            LogManager.getLogManager().reset(); // someone used java.util.logging first (an agent)
        }
        Logger root = Logger.getLogger("");
        root.setLevel(settings.level());
        Formatter format = new Line();
        Handler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(format);
        // JUL names the generations <file>.0 (the one written to), <file>.1, ...; '%' in the path is literal.
        String pattern = settings.file().toAbsolutePath().toString().replace("%", "%%") + ".%g";
        FileHandler file = new FileHandler(pattern, (int) settings.maxFileBytes(), settings.files(), true);
        file.setEncoding(StandardCharsets.UTF_8.name());
        file.setLevel(Level.ALL);
        file.setFormatter(format);
        root.addHandler(console);
        root.addHandler(file);
        settings.loggers().forEach((name, level) -> {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(level);
            KEEP.add(logger);
        });
    }

    /** java.util.logging holds loggers weakly: a level set on one nobody else holds yet would be lost. */
    private static final List<Logger> KEEP = new CopyOnWriteArrayList<>();

    /** {@code 2026-01-05 10:00:00.123 INFO ProxyServer - message}, the shape slf4j-simple printed. */
    static final class Line extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord r) {
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            StringBuilder line = new StringBuilder(160).append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(name(r.getLevel())).append(' ').append(logger.substring(logger.lastIndexOf('.') + 1))
                    .append(" - ").append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String name(Level level) {
            int v = level.intValue();
            return v >= Level.SEVERE.intValue() ? "ERROR" : v >= Level.WARNING.intValue() ? "WARN" : v >= Level.INFO.intValue() ? "INFO"
                    : v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
        }
    }
}
