package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.omamori.api.engine.Level;

/**
 * The project's {@code categories.conf} in the lists directory: one line per category,
 * {@code id | block|log | low|medium|high|critical | 日本語ラベル | English label}; {@code #}
 * starts a comment line. A category without a line gets {@link Category#withDefaults}.
 */
final class CategoriesConf {

    static final String FILE = "categories.conf";

    private final Map<String, Category> configured;

    private CategoriesConf(Map<String, Category> configured) {
        this.configured = Map.copyOf(configured);
    }

    static CategoriesConf none() {
        return new CategoriesConf(Map.of());
    }

    /** Reads the file if present; bad lines go to {@code problems} and are skipped. */
    static CategoriesConf read(Path file, Consumer<ListProblem> problems) throws IOException {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        Map<String, Category> found = new HashMap<>();
        Map<String, Long> lineOf = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            new LineReader(1024).read(in, new LineReader.Lines() {
                @Override
                public void line(byte[] buf, int start, int end, long number) {
                    String text;
                    try {
                        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(buf, start, end - start)).toString();
                    } catch (CharacterCodingException e) {
                        problems.accept(new ListProblem(FILE, number, "not valid UTF-8"));
                        return;
                    }
                    if (number == 1 && text.startsWith("\uFEFF")) {
                        text = text.substring(1);
                    }
                    text = text.strip();
                    if (text.isEmpty() || text.startsWith("#")) {
                        return;
                    }
                    try {
                        Category c = parse(text);
                        Long first = lineOf.putIfAbsent(c.id(), number);
                        if (first != null) {
                            problems.accept(new ListProblem(FILE, number, "category " + c.id() + " already configured on line " + first));
                        } else {
                            found.put(c.id(), c);
                        }
                    } catch (IllegalArgumentException e) {
                        problems.accept(new ListProblem(FILE, number, e.getMessage()));
                    }
                }

                @Override
                public void tooLong(byte[] buf, int start, int end, long number) {
                    problems.accept(new ListProblem(FILE, number, "line longer than 1024 bytes"));
                }
            });
        }
        return new CategoriesConf(found);
    }

    static Category parse(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 fields \"category | block|log | level | 日本語 | English\", got "
                    + f.length + ": " + HostNames.quote(line));
        }
        String id = f[0].strip();
        if (!Category.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a category name (lower case letters, digits, _ and -): " + HostNames.quote(id));
        }
        ListAction action = switch (f[1].strip().toLowerCase(Locale.ROOT)) {
            case "block" -> ListAction.BLOCK;
            case "log" -> ListAction.LOG;
            default -> throw new IllegalArgumentException("unknown action " + HostNames.quote(f[1].strip()) + " (expected block or log)");
        };
        Level level = switch (f[2].strip().toLowerCase(Locale.ROOT)) {
            case "low" -> Level.LOW;
            case "medium" -> Level.MEDIUM;
            case "high" -> Level.HIGH;
            case "critical" -> Level.CRITICAL;
            default -> throw new IllegalArgumentException("unknown level " + HostNames.quote(f[2].strip())
                    + " (expected low, medium, high or critical)");
        };
        String ja = f[3].strip();
        String en = f[4].strip();
        if (ja.isEmpty() || en.isEmpty()) {
            throw new IllegalArgumentException("empty label for category " + id);
        }
        return new Category(id, action, level, ja, en);
    }

    Category categoryFor(String id) {
        Category c = configured.get(id);
        return c != null ? c : Category.withDefaults(id);
    }
}
