package org.omamori.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Small hand-made feeds in the real layouts (no third-party data): UT1 folders and tarballs, ClamAV databases. */
final class Feeds {

    /** One tar entry: a file with content, a directory (content null), or a link (linkTarget set). */
    record Entry(String name, String content, String linkTarget, byte type) {
        static Entry file(String name, String content) {
            return new Entry(name, content, null, TarConstants.LF_NORMAL);
        }

        static Entry dir(String name) {
            return new Entry(name, null, null, TarConstants.LF_DIR);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, null, target, TarConstants.LF_SYMLINK);
        }
    }

    private Feeds() {
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** A .tar.gz of exactly these entries (names as given, even hostile ones). */
    static Path tarball(Path file, List<Entry> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); GZIPOutputStream gz = new GZIPOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.linkTarget() != null) {
                    t.setLinkName(e.linkTarget());
                }
                byte[] content = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
                t.setSize(content.length);
                tar.putArchiveEntry(t);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /**
     * A ClamAV database in the .cvd container: a 512-byte header {@code ClamAV-VDB:built:version:signatures:level:md5:dsig:builder:time}
     * padded with spaces, then a tar.gz body holding {@code inner} with {@code signatures} lines.
     */
    static byte[] cvd(String inner, int version, int signatures) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(body); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < signatures; i++) {
                lines.append(String.format("%032x:%d:Omamori.Feed.Test-%d%n", i + 1, 100 + i, i));
            }
            byte[] content = lines.toString().getBytes(StandardCharsets.US_ASCII);
            TarArchiveEntry t = new TarArchiveEntry(inner);
            t.setSize(content.length);
            tar.putArchiveEntry(t);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        byte[] b = body.toByteArray();
        String md5;
        try {
            md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String header = "ClamAV-VDB:05 Dec 2026 10-00 +0000:" + version + ":" + signatures + ":90:" + md5 + ":notsigned:omamori-test:1796464800";
        byte[] out = new byte[512 + b.length];
        java.util.Arrays.fill(out, 0, 512, (byte) ' ');
        System.arraycopy(header.getBytes(StandardCharsets.US_ASCII), 0, out, 0, header.length());
        System.arraycopy(b, 0, out, 512, b.length);
        return out;
    }
}
