package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.cli.Feeds.Entry;

/** A feed's tarball read as hostile input: bounded by the bytes really read, links kept inside, nothing written outside. */
class FeedArchiveTest {

    @TempDir
    Path dir;

    private final FeedArchive.Limits small = new FeedArchive.Limits(10, 1000, 3000);

    @Test
    void aGoodArchiveUnpacksWithItsLinksInside() throws Exception {
        Path tgz = Feeds.tarball(dir.resolve("ok.tar.gz"), List.of(Entry.dir("./blacklists/"), Entry.file("./blacklists/adult/domains", "a.example\n"),
                Entry.symlink("blacklists/porn", "adult"), Entry.symlink("blacklists/x/up", "../adult/domains"),
                new Entry("blacklists/copy", null, "blacklists/adult/domains", TarConstants.LF_LINK)));
        FeedArchive.unpack(tgz, dir.resolve("out"), small);
        assertThat(Files.readString(dir.resolve("out/blacklists/porn/domains"))).isEqualTo("a.example\n");
        assertThat(Files.isSymbolicLink(dir.resolve("out/blacklists/porn"))).isTrue();
        assertThat(Files.readString(dir.resolve("out/blacklists/x/up"))).isEqualTo("a.example\n");
        assertThat(Files.readString(dir.resolve("out/blacklists/copy"))).isEqualTo("a.example\n");
    }

    @Test
    void oversizedFilesTotalsAndEntryCountsAreRefusedByTheBytesRead() throws Exception {
        // A gzip bomb in miniature: 5,000 zero bytes compress to a few dozen.
        Path bomb = Feeds.tarball(dir.resolve("bomb.tar.gz"), List.of(Entry.file("blacklists/adult/domains", "\0".repeat(5000))));
        assertThat(Files.size(bomb)).isLessThan(1000);
        assertThatThrownBy(() -> FeedArchive.unpack(bomb, dir.resolve("o1"), small)).hasMessageContaining("is larger than 1000 bytes");

        List<Entry> many = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            many.add(Entry.file("blacklists/c" + i + "/domains", "x".repeat(900)));
        }
        Path total = Feeds.tarball(dir.resolve("total.tar.gz"), many);
        assertThatThrownBy(() -> FeedArchive.unpack(total, dir.resolve("o2"), small)).hasMessageContaining("unpacks to more than 3000 bytes");

        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            entries.add(Entry.dir("blacklists/c" + i + "/"));
        }
        Path count = Feeds.tarball(dir.resolve("count.tar.gz"), entries);
        assertThatThrownBy(() -> FeedArchive.unpack(count, dir.resolve("o3"), small)).hasMessageContaining("more than 10 entries");
    }

    @Test
    void escapesDevicesDuplicatesAndHardLinksOutAreRefused() throws Exception {
        record Case(List<Entry> entries, String says) {
        }
        List<Case> cases = List.of(
                new Case(List.of(Entry.file("a/../../b", "x")), "climbs out with '..'"),
                new Case(List.of(Entry.file("/etc/passwd", "x")), "is absolute"),
                new Case(List.of(Entry.file("a\u001b[2Jb", "x")), "control character"),
                new Case(List.of(Entry.symlink("a", "../../etc")), "points outside the archive"),
                new Case(List.of(Entry.symlink("a", "/etc")), "points outside the archive"),
                new Case(List.of(new Entry("h", null, "../secret", TarConstants.LF_LINK)), "points outside the archive"),
                new Case(List.of(new Entry("dev", null, null, TarConstants.LF_CHR)), "a device, pipe or other special file"),
                new Case(List.of(Entry.file("a/domains", "x"), Entry.file("./a//domains", "y")), "appears twice"));
        int i = 0;
        List<String> notRefused = new ArrayList<>();
        for (Case c : cases) {
            Path tgz = Feeds.tarball(dir.resolve("bad" + i + ".tar.gz"), c.entries());
            Path out = dir.resolve("out" + i++);
            try {
                FeedArchive.unpack(tgz, out, small);
                notRefused.add(c.says());
            } catch (java.io.IOException e) {
                assertThat(e).hasMessageContaining(c.says());
            }
        }
        assertThat(notRefused).isEmpty();
        assertThat(dir.getParent().resolve("b")).doesNotExist();
    }

    @Test
    void aFileIsNeverWrittenThroughALinkMadeEarlierInTheArchive() throws Exception {
        // The link comes first and a file "through" it follows: links are made last, so the file lands in a real folder,
        // and the link then cannot be made over it.
        Path tgz = dir.resolve("order.tar.gz");
        try (OutputStream o = Files.newOutputStream(tgz); TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(o))) {
            TarArchiveEntry link = new TarArchiveEntry("l", TarConstants.LF_SYMLINK);
            link.setLinkName("inside");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry f = new TarArchiveEntry("l/domains");
            f.setSize(2);
            tar.putArchiveEntry(f);
            tar.write("x\n".getBytes());
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> FeedArchive.unpack(tgz, dir.resolve("o"), small)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(dir.resolve("o/inside")).doesNotExist();
    }
}
