package org.omamori.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.omamori.api.text.Printable;

/**
 * A feed's category names mapped to ours: a UTF-8 file of {@code theirs = ours} lines, {@code #}
 * comments and blank lines; several of theirs may map to one of ours. A bad line is refused with
 * the file and line named.
 */
record CategoryMapping(Map<String, String> map) {

    /** Our category ids, as the URL filter engine reads its list folders. */
    static final Pattern OURS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Their names: folder names of a UT1/squidGuard list. */
    static final Pattern THEIRS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}");
    private static final long MAX_BYTES = 1024 * 1024;

    CategoryMapping {
        map = Map.copyOf(map);
    }

    Optional<String> ours(String theirs) {
        return Optional.ofNullable(map.get(theirs));
    }

    static CategoryMapping read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such mapping file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + ": larger than " + MAX_BYTES + " bytes, not a mapping file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, String> map = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            line = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || line.indexOf('=', eq + 1) >= 0) {
                throw new IOException(file + ":" + number + ": expected 'theirs = ours', got '" + Printable.of(line) + "'");
            }
            String theirs = line.substring(0, eq).strip();
            String ours = line.substring(eq + 1).strip();
            if (!THEIRS.matcher(theirs).matches()) {
                throw new IOException(file + ":" + number + ": '" + Printable.of(theirs) + "' is not a feed category name");
            }
            if (!OURS.matcher(ours).matches()) {
                throw new IOException(file + ":" + number + ": '" + Printable.of(ours) + "' is not one of our category ids ([a-z0-9][a-z0-9_-]*)");
            }
            Integer first = lineOf.putIfAbsent(theirs, number);
            if (first != null) {
                throw new IOException(file + ":" + number + ": '" + theirs + "' is mapped already on line " + first);
            }
            map.put(theirs, ours);
        }
        if (map.isEmpty()) {
            throw new IOException(file + ": maps no category");
        }
        return new CategoryMapping(map);
    }
}
