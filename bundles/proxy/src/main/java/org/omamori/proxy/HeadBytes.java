package org.omamori.proxy;

/**
 * A message head as received, before it is parsed: its lines with their CRLFs, back to back, and
 * where each starts. Line {@code i} is {@code bytes[lineStarts[i] .. lineStarts[i + 1] - 2)};
 * the last entry of {@code lineStarts} is where the empty line that ends the head starts: its CRLF
 * is the last two bytes, so the bytes are the head exactly as sent (handed to engines as such).
 * Empty lines before a request line are not included. Made only by {@link HttpInput#readHead},
 * which guarantees at least one line, CRLF endings, no other CR or LF and the size bounds.
 *
 * @param bytes      the lines and the empty line, ISO-8859-1 octets, from index 0 (the array may be longer)
 * @param lineStarts offsets of each line, then the end (the array may be longer)
 * @param lines      the number of lines before the empty line
 */
record HeadBytes(byte[] bytes, int[] lineStarts, int lines) {

    /** The head's length in {@link #bytes} (which may be longer: a buffer a connection reuses, {@link HttpInput.HeadBuffer}). */
    int length() {
        return lineStarts[lines] + 2;
    }

    int lineStart(int line) {
        return lineStarts[line];
    }

    /** The end of the line's content, before its CRLF. */
    int lineEnd(int line) {
        return lineStarts[line + 1] - 2;
    }
}
