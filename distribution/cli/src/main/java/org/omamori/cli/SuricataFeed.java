package org.omamori.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.omamori.api.text.Printable;

/**
 * A folder of Suricata rule files (ET Open's {@code rules/*.rules}) filtered the way
 * suricata-update does with the common subset of its {@code disable.conf}, {@code enable.conf}
 * and {@code modify.conf}: disable first, then enable (an enable wins), then modify the enabled
 * rules; a rule commented out in the feed ({@code # alert ...}) is a disabled rule that enable may
 * turn on. Filters: {@code SID} or {@code GID:SID}, {@code group:FILE} (the file name with or
 * without {@code .rules}, {@code *} and {@code ?} as wildcards), {@code re:REGEX} (case-insensitive,
 * anywhere in the rule). modify.conf lines are {@code FILTER "FROM" "TO"} (FROM a regular
 * expression, TO may use {@code \1} for its groups). A duplicate sid keeps the higher {@code rev}.
 */
final class SuricataFeed {

    private static final Pattern RULE = Pattern.compile("^(alert|drop|pass|reject|rejectsrc|rejectdst|rejectboth)\\s.*\\(.*\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern SID = Pattern.compile("[(;]\\s*sid\\s*:\\s*(\\d{1,10})\\s*;");
    private static final Pattern GID = Pattern.compile("[(;]\\s*gid\\s*:\\s*(\\d{1,10})\\s*;");
    private static final Pattern REV = Pattern.compile("[(;]\\s*rev\\s*:\\s*(\\d{1,10})\\s*;");
    private static final Pattern MODIFY = Pattern.compile("^(.+?)\\s+\"(.*)\"\\s+\"(.*)\"$");
    private static final long MAX_CONF = 4 * 1024 * 1024;
    private static final int MAX_RULE = 64 * 1024;

    /** One rule: the file it came from, its text (without a leading '#'), whether it is on. */
    record Rule(String group, String text, long gid, long sid, long rev, boolean enabled) {
        String key() {
            return gid + ":" + sid;
        }

        Rule with(boolean on) {
            return new Rule(group, text, gid, sid, rev, on);
        }
    }

    /** A disable/enable/modify line. */
    record Filter(String where, String spec, Predicate matcher, Optional<Pattern> from, String to, int[] matched) {
        boolean matches(Rule r) {
            return matcher.test(r);
        }
    }

    @FunctionalInterface
    interface Predicate {
        boolean test(Rule r);
    }

    /** What was read and written. */
    record Result(int files, int rules, int enabled, int disabledByConf, int enabledByConf, int modified, int duplicates,
                  int unreadable, List<String> notes) {
    }

    private SuricataFeed() {
    }

    static Result build(List<Path> ruleFolders, Optional<Path> disable, Optional<Path> enable, Optional<Path> modify, Path out)
            throws IOException {
        Map<String, Rule> rules = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        int files = 0;
        int duplicates = 0;
        int unreadable = 0;
        for (Path folder : ruleFolders) {
            List<Path> ruleFiles = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.rules")) {
                dir.forEach(ruleFiles::add);
            }
            ruleFiles.sort(null);
            for (Path f : ruleFiles) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(f + ": not a regular file (links are not followed)");
                }
                files++;
                String group = f.getFileName().toString();
                List<String> lines;
                try {
                    lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new IOException(f + ": not UTF-8");
                }
                StringBuilder pending = new StringBuilder();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.endsWith("\\") && pending.length() < MAX_RULE) {
                        pending.append(line, 0, line.length() - 1);
                        continue;
                    }
                    String whole = pending.append(line).toString().strip();
                    pending.setLength(0);
                    boolean on = !whole.startsWith("#");
                    String text = on ? whole : whole.replaceFirst("^#+\\s*", "");
                    if (text.isEmpty() || !RULE.matcher(text).matches()) {
                        if (on && !text.isEmpty()) {
                            unreadable++;
                            if (unreadable <= 3) {
                                notes.add(f.getFileName() + ":" + (i + 1) + ": not a rule, left out");
                            }
                        }
                        continue; // a comment
                    }
                    Matcher sid = SID.matcher(text);
                    if (!sid.find()) {
                        if (on) {
                            unreadable++;
                            if (unreadable <= 3) {
                                notes.add(f.getFileName() + ":" + (i + 1) + ": a rule without sid, left out");
                            }
                        }
                        continue;
                    }
                    Rule r = new Rule(group, text, number(GID, text, 1), Long.parseLong(sid.group(1)), number(REV, text, 0), on);
                    Rule before = rules.get(r.key());
                    if (before != null) {
                        duplicates++;
                        if (before.rev() >= r.rev()) {
                            continue;
                        }
                    }
                    rules.put(r.key(), r);
                }
            }
        }
        List<Filter> disables = disable.isPresent() ? filters(disable.get(), false) : List.of();
        List<Filter> enables = enable.isPresent() ? filters(enable.get(), false) : List.of();
        List<Filter> modifies = modify.isPresent() ? filters(modify.get(), true) : List.of();
        int disabledByConf = 0;
        int enabledByConf = 0;
        int modified = 0;
        for (var e : rules.entrySet()) {
            Rule r = e.getValue();
            for (Filter f : disables) {
                if (r.enabled() && f.matches(r)) {
                    r = r.with(false);
                    f.matched()[0]++;
                    disabledByConf++;
                }
            }
            for (Filter f : enables) {
                if (!r.enabled() && f.matches(r)) {
                    r = r.with(true);
                    f.matched()[0]++;
                    enabledByConf++;
                }
            }
            if (r.enabled()) {
                for (Filter f : modifies) {
                    if (f.matches(r)) {
                        String text = f.from().orElseThrow().matcher(r.text()).replaceAll(f.to());
                        if (!text.equals(r.text())) {
                            Matcher sid = SID.matcher(text);
                            if (!sid.find() || Long.parseLong(sid.group(1)) != r.sid()) {
                                throw new IOException(f.where() + ": the modification changes or removes the sid of rule " + r.key());
                            }
                            r = new Rule(r.group(), text, r.gid(), r.sid(), r.rev(), true);
                            f.matched()[0]++;
                            modified++;
                        }
                    }
                }
            }
            e.setValue(r);
        }
        for (Filter f : concat(disables, enables, modifies)) {
            if (f.matched()[0] == 0) {
                notes.add(f.where() + ": '" + Printable.of(f.spec()) + "' matched no rule");
            }
        }
        Map<String, StringBuilder> byFile = new TreeMap<>();
        int enabled = 0;
        for (Rule r : rules.values()) {
            if (r.enabled()) {
                byFile.computeIfAbsent(r.group(), k -> new StringBuilder()).append(r.text()).append('\n');
                enabled++;
            }
        }
        Files.createDirectories(out);
        for (var e : byFile.entrySet()) {
            Files.writeString(out.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        return new Result(files, rules.size(), enabled, disabledByConf, enabledByConf, modified, duplicates, unreadable, notes);
    }

    private static long number(Pattern p, String text, long otherwise) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : otherwise;
    }

    @SafeVarargs
    private static List<Filter> concat(List<Filter>... lists) {
        List<Filter> all = new ArrayList<>();
        for (List<Filter> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** The filters of a disable/enable ({@code modify} false) or modify.conf file; a bad line names file and line. */
    static List<Filter> filters(Path file, boolean modify) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        if (Files.size(file) > MAX_CONF) {
            throw new IOException(file + ": larger than " + MAX_CONF + " bytes");
        }
        List<Filter> filters = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file.getFileName() + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String spec = line;
            Optional<Pattern> from = Optional.empty();
            String to = "";
            if (modify) {
                Matcher m = MODIFY.matcher(line);
                if (!m.matches()) {
                    throw new IOException(file + ":" + (i + 1) + ": expected FILTER \"FROM\" \"TO\"");
                }
                spec = m.group(1).strip();
                try {
                    from = Optional.of(Pattern.compile(m.group(2)));
                } catch (PatternSyntaxException e) {
                    throw new IOException(file + ":" + (i + 1) + ": FROM is not a regular expression: " + e.getDescription());
                }
                to = replacement(m.group(3));
            }
            filters.add(new Filter(where, spec, matcher(file, i + 1, spec), from, to, new int[1]));
        }
        return filters;
    }

    private static Predicate matcher(Path file, int line, String spec) throws IOException {
        if (spec.startsWith("re:")) {
            try {
                Pattern p = Pattern.compile(spec.substring(3).strip(), Pattern.CASE_INSENSITIVE);
                return r -> p.matcher(r.text()).find();
            } catch (PatternSyntaxException e) {
                throw new IOException(file + ":" + line + ": not a regular expression: " + e.getDescription());
            }
        }
        if (spec.startsWith("group:")) {
            String glob = spec.substring(6).strip();
            if (glob.isEmpty()) {
                throw new IOException(file + ":" + line + ": group: needs a file name");
            }
            StringBuilder re = new StringBuilder();
            for (char c : glob.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            Pattern p = Pattern.compile(re.toString());
            return r -> p.matcher(r.group()).matches() || p.matcher(r.group().replaceFirst("\\.rules$", "")).matches();
        }
        Matcher m = Pattern.compile("(?:(\\d{1,10}):)?(\\d{1,10})").matcher(spec);
        if (!m.matches()) {
            throw new IOException(file + ":" + line + ": '" + Printable.of(spec) + "' is not a sid, gid:sid, group:FILE or re:REGEX");
        }
        long gid = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
        long sid = Long.parseLong(m.group(2));
        return r -> r.sid() == sid && r.gid() == gid;
    }

    /** A Python-style replacement ({@code \1}, {@code \g<1>}) in Java's form ({@code $1}), other {@code $} and backslashes literal. */
    static String replacement(String python) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < python.length(); i++) {
            char c = python.charAt(i);
            if (c == '\\' && i + 1 < python.length() && Character.isDigit(python.charAt(i + 1))) {
                sb.append('$').append(python.charAt(++i));
            } else if (c == '\\' && python.startsWith("g<", i + 1) && python.indexOf('>', i) > 0) {
                int end = python.indexOf('>', i);
                String group = python.substring(i + 3, end);
                sb.append(group.chars().allMatch(Character::isDigit) ? "$" + group : "${" + group + "}");
                i = end;
            } else if (c == '$' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
