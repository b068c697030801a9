package org.omamori.engine.urlfilter;

/**
 * A line of a list file that was skipped, and why.
 *
 * @param file   the file, relative to the lists directory, e.g. {@code phishing/domains}
 * @param line   1-based line number
 * @param reason what was wrong, e.g. {@code not a domain name: "exa mple"}
 */
public record ListProblem(String file, long line, String reason) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }
}
