package org.omamori.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.omamori.api.text.Printable;

/**
 * A UT1/squidGuard blacklist ({@code [blacklists/]<category>/domains} and {@code urls}, with
 * symbolic links between categories and other files beside) turned into the URL filter's list
 * folders under our category names. Links are followed only inside the feed (the real path is
 * checked); categories without a mapping are left out and listed.
 */
final class Ut1Feed {

    static final List<String> LIST_FILES = List.of("domains", "urls");

    /** What went in and what was left out. */
    record Result(Map<String, List<String>> taken, Set<String> unmapped, Set<String> mappedButAbsent, long bytes) {
    }

    private Ut1Feed() {
    }

    /** Writes our list folders for the feed at {@code feed} (a folder holding {@code blacklists/} or the categories) into {@code out}. */
    static Result build(Path feed, CategoryMapping mapping, Path out, long maxBytes) throws IOException {
        Path root = Files.isDirectory(feed.resolve("blacklists")) ? feed.resolve("blacklists") : feed;
        Path realRoot = root.toRealPath();
        Map<String, List<String>> taken = new TreeMap<>();
        Set<String> unmapped = new TreeSet<>();
        Map<String, Set<Path>> sourcesOf = new HashMap<>();
        long bytes = 0;
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            dir.forEach(entries::add);
        }
        entries.sort(null);
        for (Path entry : entries) {
            String theirs = entry.getFileName().toString();
            Path real = inside(entry, realRoot);
            if (!Files.isDirectory(real)) {
                continue; // README, global_usage, licence files
            }
            if (!CategoryMapping.THEIRS.matcher(theirs).matches()) {
                unmapped.add(Printable.of(theirs));
                continue;
            }
            String ours = mapping.ours(theirs).orElse(null);
            if (ours == null) {
                unmapped.add(theirs);
                continue;
            }
            if (!sourcesOf.computeIfAbsent(ours, k -> new HashSet<>()).add(real)) {
                taken.computeIfAbsent(ours, k -> new ArrayList<>()).add(theirs + " (the same list again, through a link)");
                continue;
            }
            boolean any = false;
            for (String name : LIST_FILES) {
                Path list = entry.resolve(name);
                if (!Files.exists(list, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path realList = inside(list, realRoot);
                if (!Files.isRegularFile(realList)) {
                    throw new IOException(list + ": not a regular file");
                }
                bytes += Files.size(realList);
                if (bytes > maxBytes) {
                    throw new IOException(feed + ": the mapped lists hold more than " + maxBytes + " bytes");
                }
                append(realList, Files.createDirectories(out.resolve(ours)).resolve(name));
                any = true;
            }
            if (any) {
                taken.computeIfAbsent(ours, k -> new ArrayList<>()).add(theirs);
            }
        }
        Set<String> absent = new TreeSet<>();
        for (var e : mapping.map().entrySet()) {
            if (!Files.isDirectory(root.resolve(e.getKey()))) {
                absent.add(e.getKey());
            }
        }
        return new Result(taken, unmapped, absent, bytes);
    }

    /** The real path of {@code p}, which must lie inside {@code realRoot} (links in the feed must not lead out of it). */
    private static Path inside(Path p, Path realRoot) throws IOException {
        Path real = p.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new IOException(p + ": a symbolic link leading outside the feed (to " + real + ")");
        }
        return real;
    }

    /** Appends {@code from} to {@code to}, ending it with a newline so the next list starts on a line of its own. */
    private static void append(Path from, Path to) throws IOException {
        try (OutputStream o = Files.newOutputStream(to, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            Files.copy(from, o);
            long size = Files.size(from);
            if (size > 0) {
                try (var ch = Files.newByteChannel(from)) {
                    ch.position(size - 1);
                    java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
                    ch.read(last);
                    if (last.get(0) != '\n') {
                        o.write('\n');
                    }
                }
            }
        }
    }
}
