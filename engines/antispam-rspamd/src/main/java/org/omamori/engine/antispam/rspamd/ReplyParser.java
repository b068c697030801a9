package org.omamori.engine.antispam.rspamd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import org.omamori.engine.antispam.rspamd.RspamdException.Kind;

/**
 * Reads rspamd's {@code /checkv2} JSON reply: {@code score}, {@code required_score} and the
 * names and scores of {@code symbols}; everything else is skipped. The input is already bounded
 * in size ({@link HttpReply}); the parser is bounded in depth, string and number length, and
 * keeps at most {@link #MAX_SYMBOLS} symbols, so a hostile reply costs little.
 */
public final class ReplyParser {

    static final int MAX_SYMBOLS = 512;
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16).maxStringLength(64 << 10).maxNumberLength(32).maxNameLength(1024).build())
            .build();

    private ReplyParser() {
    }

    private record Scored(String name, double score) {
    }

    /** Parses a reply body; a reply without a finite score is an error. */
    public static Reply parse(byte[] body, int length) throws RspamdException {
        double score = Double.NaN;
        double required = Double.NaN;
        List<Scored> symbols = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw protocol("it is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "score" -> score = number(p, value, "score");
                    case "required_score" -> required = number(p, value, "required_score");
                    case "symbols" -> symbols(p, value, symbols);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw protocol("it does not end where its top-level object ends");
            }
        } catch (RspamdException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson's message may quote the input: only its class is kept.
            throw protocol("it is not valid JSON within the parser's limits (" + e.getClass().getSimpleName() + ")");
        }
        if (Double.isNaN(score)) {
            throw protocol("it has no score");
        }
        symbols.sort(Comparator.comparingDouble((Scored s) -> -Math.abs(s.score())).thenComparing(Scored::name));
        List<String> names = new ArrayList<>(symbols.size());
        for (Scored s : symbols) {
            if (s.score() != 0) {
                names.add(s.name());
            }
        }
        return new Reply(score, Double.isNaN(required) ? 0 : required, names);
    }

    private static void symbols(JsonParser p, JsonToken value, List<Scored> into) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw protocol("its symbols are not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken symbol = p.nextToken();
            double score = 0;
            if (symbol == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("score")) {
                        score = number(p, v, "a symbol's score");
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            // Names that are no rspamd symbol name are dropped: they would reach the note and the event.
            if (into.size() < MAX_SYMBOLS && SYMBOL.matcher(name).matches()) {
                into.add(new Scored(name, score));
            }
        }
    }

    private static double number(JsonParser p, JsonToken value, String what) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw protocol("its " + what + " is not a number");
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d) || Math.abs(d) > 1e6) {
            throw protocol("its " + what + " is out of range");
        }
        return d;
    }

    private static RspamdException protocol(String why) {
        return new RspamdException(Kind.PROTOCOL, "rspamd's reply is unusable: " + why);
    }
}
