package org.omamori.grading;

/** A star table that cannot be used, with the file and line that is wrong. */
public final class StarTableException extends Exception {

    private final String file;
    private final int line;

    public StarTableException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** The line, counting from 1. */
    public int line() {
        return line;
    }
}
