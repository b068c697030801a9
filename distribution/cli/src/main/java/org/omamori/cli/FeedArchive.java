package org.omamori.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.omamori.api.text.Printable;

/**
 * Unpacks a feed's {@code .tar.gz} (e.g. UT1's {@code blacklists.tar.gz}) into an empty folder,
 * treating it as hostile: entry names must be relative and stay inside ({@code ../} and absolute
 * names refuse the archive), symbolic and hard links must point inside it, devices and other
 * special entries are refused, and entries, bytes per file and bytes in all are bounded by the
 * bytes really read (a lying header gains nothing). Symbolic links are made last, as relative
 * links, so no file is ever written through one; readers still check real paths.
 */
final class FeedArchive {

    /** Bounds: entries, bytes of one file, bytes in all. */
    record Limits(int maxEntries, long maxFileBytes, long maxTotalBytes) {
        static Limits defaults() {
            return new Limits(200_000, 512L * 1024 * 1024, 2L * 1024 * 1024 * 1024);
        }
    }

    private FeedArchive() {
    }

    /** Unpacks {@code tarball} into {@code into} (created; must not exist); IOException names the entry at fault. */
    static void unpack(Path tarball, Path into, Limits limits) throws IOException {
        Files.createDirectories(into.getParent());
        Files.createDirectory(into);
        Set<String> names = new HashSet<>();
        List<Map.Entry<String, String>> symlinks = new ArrayList<>();
        long total = 0;
        int entries = 0;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file, 64 * 1024))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new IOException(tarball + ": more than " + limits.maxEntries() + " entries");
                }
                String name = name(tarball, e.getName());
                if (name.isEmpty()) {
                    continue; // "./" itself
                }
                if (!names.add(name)) {
                    throw new IOException(tarball + ": entry '" + Printable.of(name) + "' appears twice");
                }
                Path target = into.resolve(name);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    symlinks.add(Map.entry(name, inside(tarball, name, parentOf(name), e.getLinkName())));
                } else if (e.isLink()) {
                    Path source = into.resolve(inside(tarball, name, "", e.getLinkName()));
                    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException(tarball + ": hard link '" + Printable.of(name) + "' names no file before it");
                    }
                    total += Files.size(source);
                    check(tarball, name, Files.size(source), total, limits);
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                } else if (e.getLinkFlag() == TarConstants.LF_NORMAL || e.getLinkFlag() == TarConstants.LF_OLDNORM
                        || e.getLinkFlag() == TarConstants.LF_CONTIG) {
                    Files.createDirectories(target.getParent());
                    long written = 0;
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        byte[] buf = new byte[64 * 1024];
                        int n;
                        while ((n = tar.read(buf)) > 0) {
                            written += n;
                            total += n;
                            check(tarball, name, written, total, limits);
                            out.write(buf, 0, n);
                        }
                    }
                } else {
                    throw new IOException(tarball + ": entry '" + Printable.of(name) + "' is a device, pipe or other special file");
                }
            }
        }
        for (var link : symlinks) {
            Path at = into.resolve(link.getKey());
            Files.createDirectories(at.getParent());
            Files.createSymbolicLink(at, at.getParent().relativize(into.resolve(link.getValue())));
        }
    }

    private static void check(Path tarball, String name, long file, long total, Limits limits) throws IOException {
        if (file > limits.maxFileBytes()) {
            throw new IOException(tarball + ": entry '" + Printable.of(name) + "' is larger than " + limits.maxFileBytes() + " bytes");
        }
        if (total > limits.maxTotalBytes()) {
            throw new IOException(tarball + ": unpacks to more than " + limits.maxTotalBytes() + " bytes");
        }
    }

    /** The entry's name, relative and normalised ("./a//b/" is "a/b"); absolute names, ".." and control characters refuse the archive. */
    static String name(Path tarball, String raw) throws IOException {
        if (raw.startsWith("/") || raw.contains("\\") || raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IOException(tarball + ": entry '" + Printable.of(raw) + "' is absolute or holds a backslash or control character");
        }
        List<String> parts = new ArrayList<>();
        for (String s : raw.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                throw new IOException(tarball + ": entry '" + Printable.of(raw) + "' climbs out with '..'");
            }
            parts.add(s);
        }
        if (parts.size() > 16) {
            throw new IOException(tarball + ": entry '" + Printable.of(raw) + "' is nested more than 16 deep");
        }
        return String.join("/", parts);
    }

    /** The archive-relative path a link from {@code name} in folder {@code base} to {@code target} names; outside refuses. */
    private static String inside(Path tarball, String name, String base, String target) throws IOException {
        if (target.isEmpty() || target.startsWith("/") || target.contains("\\") || target.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IOException(tarball + ": link '" + Printable.of(name) + "' points outside the archive (" + Printable.of(target) + ")");
        }
        List<String> parts = new ArrayList<>(base.isEmpty() ? List.of() : List.of(base.split("/")));
        for (String s : target.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IOException(tarball + ": link '" + Printable.of(name) + "' points outside the archive (" + Printable.of(target) + ")");
                }
                parts.removeLast();
            } else {
                parts.add(s);
            }
        }
        if (parts.isEmpty()) {
            throw new IOException(tarball + ": link '" + Printable.of(name) + "' points at the archive's top");
        }
        return String.join("/", parts);
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
