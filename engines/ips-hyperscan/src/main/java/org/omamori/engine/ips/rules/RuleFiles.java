package org.omamori.engine.ips.rules;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Reads {@code .rules} files: one rule per line, or over several lines joined by a trailing
 * {@code \}; blank lines and {@code #} comments are passed over, and a commented-out rule
 * ({@code # alert ...}) is counted as disabled. A rule that does not parse is reported with its
 * file and line, and the others still load. When two rules share a sid the higher rev is kept
 * (the first on a tie) and the other reported as an error.
 */
public final class RuleFiles {

    /** {@code progress} is told the number of rules read so far after every this many. */
    public static final int PROGRESS_EVERY = 1000;

    private static final List<String> ACTIONS = List.of(
            "alert", "drop", "reject", "pass", "rejectsrc", "rejectdst", "rejectboth", "sdrop", "log");

    private RuleFiles() {
    }

    /**
     * What a set of files gave.
     *
     * @param rules            the rules that loaded, in file order, one per sid
     * @param skippedByKeyword rules skipped for a feature the engine lacks, by keyword, most first
     * @param errors           rules (and files) that could not be read, with file, line and why
     * @param files            files read
     * @param lines            lines read
     * @param disabled         commented-out rules
     */
    public record Result(List<Rule> rules, Map<String, Integer> skippedByKeyword, List<RuleParseException> errors,
                         int files, int lines, int disabled) {
        public Result {
            rules = List.copyOf(rules);
            skippedByKeyword = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skippedByKeyword));
            errors = List.copyOf(errors);
        }

        /** Rules skipped in all. */
        public int skipped() {
            return skippedByKeyword.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Reads the files in order; a directory stands for its {@code *.rules} files by name.
     * Never throws for a bad file: it is reported in {@link Result#errors()} at line 0.
     *
     * @param progress told the count of rules read every {@value #PROGRESS_EVERY} rules
     */
    public static Result read(List<Path> files, RuleParser parser, IntConsumer progress) {
        Objects.requireNonNull(parser, "parser");
        Loader loader = new Loader(parser, progress == null ? n -> { } : progress);
        for (Path path : files) {
            for (Path file : expand(path, loader)) {
                String name = String.valueOf(file.getFileName());
                try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
                    loader.file(name, in);
                } catch (IOException e) {
                    loader.errors.add(new RuleParseException(name, 0, "cannot read: " + e));
                }
            }
        }
        return loader.result();
    }

    /** Reads rules from text already at hand, e.g. a resource; {@code name} is used in messages. */
    public static Result read(String name, Reader text, RuleParser parser) throws IOException {
        Loader loader = new Loader(Objects.requireNonNull(parser, "parser"), n -> { });
        loader.file(name, text);
        return loader.result();
    }

    private static List<Path> expand(Path path, Loader loader) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".rules") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            loader.errors.add(new RuleParseException(String.valueOf(path.getFileName()), 0, "cannot list: " + e));
            return List.of();
        }
    }

    private static final class Loader {
        final RuleParser parser;
        final IntConsumer progress;
        final Map<Long, Rule> bySid = new LinkedHashMap<>();
        final Map<String, Integer> skipped = new HashMap<>();
        final List<RuleParseException> errors = new ArrayList<>();
        int files;
        int lines;
        int disabled;
        int read;

        Loader(RuleParser parser, IntConsumer progress) {
            this.parser = parser;
            this.progress = progress;
        }

        void file(String name, Reader in) throws IOException {
            files++;
            LineReader lineReader = new LineReader(in, RuleParser.MAX_RULE_LENGTH);
            StringBuilder pending = null;
            int pendingLine = 0;
            boolean pendingTooLong = false;
            String line;
            while ((line = lineReader.next()) != null) {
                int number = ++lines - linesBefore;
                if (lineReader.overlong()) {
                    errors.add(new RuleParseException(name, number, "line longer than " + RuleParser.MAX_RULE_LENGTH + " characters"));
                    pending = null;
                    continue;
                }
                if (pending == null) {
                    String s = line.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (s.charAt(0) == '#') {
                        if (looksLikeRule(s.substring(1).strip())) {
                            disabled++;
                        }
                        continue;
                    }
                    pending = new StringBuilder();
                    pendingLine = number;
                    pendingTooLong = false;
                }
                String t = line.stripTrailing();
                boolean continues = t.endsWith("\\");
                if (continues) {
                    t = t.substring(0, t.length() - 1);
                }
                if (!pendingTooLong) {
                    if (pending.length() + t.length() > RuleParser.MAX_RULE_LENGTH) {
                        pendingTooLong = true;
                        pending.setLength(0);
                    } else {
                        pending.append(t);
                    }
                }
                if (continues) {
                    continue;
                }
                if (pendingTooLong) {
                    errors.add(new RuleParseException(name, pendingLine, "rule longer than " + RuleParser.MAX_RULE_LENGTH + " characters"));
                } else {
                    rule(pending.toString(), name, pendingLine);
                }
                pending = null;
            }
            if (pending != null) {
                errors.add(new RuleParseException(name, pendingLine, "file ends inside a rule continued with '\\'"));
            }
            linesBefore = lines;
        }

        private int linesBefore;

        private void rule(String text, String file, int line) {
            try {
                switch (parser.parse(text, file, line)) {
                    case ParseOutcome.Parsed p -> keep(p.rule());
                    case ParseOutcome.Skipped s -> skipped.merge(s.keyword(), 1, Integer::sum);
                }
            } catch (RuleParseException e) {
                errors.add(e);
            } catch (RuntimeException e) {
                // A parser bug must not stop the other rules from loading; the fuzz test hunts these.
                errors.add(new RuleParseException(file, line, "parser failed: " + e));
            }
            if (++read % PROGRESS_EVERY == 0) {
                progress.accept(read);
            }
        }

        private void keep(Rule rule) {
            Rule old = bySid.get(rule.sid());
            if (old == null) {
                bySid.put(rule.sid(), rule);
            } else if (rule.rev() > old.rev()) {
                bySid.put(rule.sid(), rule);
                errors.add(new RuleParseException(old.origin().file(), old.origin().line(),
                        "duplicate sid " + rule.sid() + ": rev " + old.rev() + " replaced by rev " + rule.rev()
                                + " at " + rule.origin()));
            } else {
                errors.add(new RuleParseException(rule.origin().file(), rule.origin().line(),
                        "duplicate sid " + rule.sid() + ": rev " + rule.rev() + " ignored, rev " + old.rev()
                                + " kept from " + old.origin()));
            }
        }

        Result result() {
            Map<String, Integer> byCount = new LinkedHashMap<>();
            skipped.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> byCount.put(e.getKey(), e.getValue()));
            return new Result(new ArrayList<>(bySid.values()), byCount, errors, files, lines, disabled);
        }
    }

    /** {@code alert tcp ... (... sid:1; ...)} after a {@code #}: a rule switched off, not prose. */
    static boolean looksLikeRule(String s) {
        for (String action : ACTIONS) {
            if (s.startsWith(action) && s.length() > action.length() && Character.isWhitespace(s.charAt(action.length()))) {
                return s.indexOf('(') > 0 && s.contains("sid");
            }
        }
        return false;
    }

    /**
     * Lines of at most {@code max} characters; a longer line is read to its end but not kept, so
     * a hostile file cannot make one huge string. Ends of line: LF, CRLF.
     */
    private static final class LineReader {
        private final Reader in;
        private final int max;
        private final char[] buf = new char[8192];
        private int pos;
        private int len;
        private boolean overlong;

        LineReader(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        String next() throws IOException {
            StringBuilder line = new StringBuilder();
            overlong = false;
            boolean any = false;
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return any ? finish(line) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                if (!overlong) {
                    if (line.length() + (pos - start) > max) {
                        overlong = true;
                        line.setLength(0);
                    } else {
                        line.append(buf, start, pos - start);
                    }
                }
                if (pos < len) {
                    pos++; // the '\n'
                    return finish(line);
                }
            }
        }

        private String finish(StringBuilder line) {
            int n = line.length();
            if (n > 0 && line.charAt(n - 1) == '\r') {
                line.setLength(n - 1);
            }
            return line.toString();
        }

        boolean overlong() {
            return overlong;
        }
    }
}
