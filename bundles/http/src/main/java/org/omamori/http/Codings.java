package org.omamori.http;

import org.omamori.api.text.Printable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses coding lists as in Content-Encoding and Transfer-Encoding (RFC 9110 §5.6.1 list syntax). */
final class Codings {

    private Codings() {
    }

    /**
     * The codings in the order they were applied, lower-cased; empty list elements skipped, as the
     * list syntax allows.
     */
    static List<String> parse(String headerName, String value) throws UnsupportedCodingException {
        List<String> codings = new ArrayList<>();
        if (value == null) {
            return codings;
        }
        for (String element : value.split(",", -1)) {
            String coding = element.strip().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            for (int i = 0; i < coding.length(); i++) {
                if (!ChunkedDecoder.isTokenChar(coding.charAt(i))) {
                    throw new UnsupportedCodingException(coding, headerName + " element \"" + Printable.shown(coding, 64)
                            + "\" is not a plain coding name");
                }
            }
            codings.add(coding);
        }
        return codings;
    }
}
