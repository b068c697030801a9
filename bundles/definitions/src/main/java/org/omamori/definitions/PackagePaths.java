package org.omamori.definitions;

import org.omamori.api.text.Printable;

import java.util.Optional;

/**
 * The rule for a file path inside a package (manifest and zip alike): relative, '/'-separated,
 * 1 to 8 segments, each non-empty, not {@code .} or {@code ..}, no backslash, colon or control
 * character (C0, DEL, C1, invisible format characters, line separators: {@link Printable#unsafe}),
 * at most 255 characters in all. Such a path can only name a file under the folder it
 * is unpacked into, on any file system.
 */
final class PackagePaths {

    static final int MAX_LENGTH = 255;
    static final int MAX_DEPTH = 8;

    private PackagePaths() {
    }

    /** What is wrong with {@code path}, or empty when it is acceptable. */
    static Optional<String> problem(String path) {
        if (path.isEmpty() || path.length() > MAX_LENGTH) {
            return Optional.of("path must be 1 to " + MAX_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            return Optional.of("absolute path");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Printable.unsafe(c) || c == '\\' || c == ':') {
                return Optional.of("path holds a backslash, colon or control character");
            }
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return Optional.of("path deeper than " + MAX_DEPTH + " folders");
        }
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                return Optional.of("path segment '" + s + "' is empty, '.' or '..'");
            }
        }
        return Optional.empty();
    }
}
