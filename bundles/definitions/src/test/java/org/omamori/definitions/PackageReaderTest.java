package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.definitions.Fixtures.OPERATOR;
import static org.omamori.definitions.Fixtures.STRANGER;
import static org.omamori.definitions.Fixtures.manifest;
import static org.omamori.definitions.Fixtures.raw;
import static org.omamori.definitions.Fixtures.utf8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.Refused.Reason;

class PackageReaderTest {

    @TempDir
    Path dir;

    private final PackageReader reader = new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults());

    private static String sha(byte[] b) {
        return HexFormat.of().formatHex(PackageReader.sha256().digest(b));
    }

    private Reason refusal(PackageReader r, SignedPackage pkg) {
        Path target = dir.resolve("unpacked");
        try {
            r.unpack(pkg, target);
        } catch (Refused e) {
            try {
                Folders.delete(target); // the installer's part: what a refused package left behind goes
            } catch (java.io.IOException io) {
                throw new AssertionError(io);
            }
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError("expected a refusal, got " + e, e);
        }
        throw new AssertionError("the package was accepted");
    }

    @Test
    void aPackageSignedByTheOperatorUnpacksWithItsManifestAndFiles() throws Exception {
        SignedPackage pkg = Fixtures.urlPackage(dir, "2026.11.23.1", "bad.example");
        Manifest m = reader.unpack(pkg, dir.resolve("out"));
        assertThat(m.kind()).isEqualTo(Kind.URLFILTER);
        assertThat(m.version().text()).isEqualTo("2026.11.23.1");
        assertThat(m.files()).extracting(Manifest.File::path).containsExactly("categories.conf", "phishing/domains");
        assertThat(dir.resolve("out/files/phishing/domains")).hasContent("bad.example");
        assertThat(dir.resolve("out/manifest.json")).exists();
    }

    @Test
    void theSameFolderVersionAndTimeMakeTheSameBytes() throws Exception {
        Path src = Fixtures.urlLists(dir.resolve("src"), "bad.example");
        byte[] a = PackageWriter.pack(Kind.URLFILTER, PackageVersion.parse("1"), Fixtures.CREATED, src);
        byte[] b = PackageWriter.pack(Kind.URLFILTER, PackageVersion.parse("1"), Fixtures.CREATED, src);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aChangedSignatureIsRefused() throws Exception {
        SignedPackage pkg = Fixtures.urlPackage(dir, "1", "bad.example");
        byte[] sig = pkg.signature().clone();
        sig[10] ^= 1;
        assertThat(refusal(reader, new SignedPackage(pkg.bytes(), sig))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThatThrownBy(() -> reader.unpack(new SignedPackage(pkg.bytes(), new byte[0]), dir.resolve("out")))
                .isInstanceOf(Refused.class).hasMessageContaining("not a 64-byte");
        assertThat(dir.resolve("out")).as("nothing is written before the signature holds").doesNotExist();
    }

    @Test
    void aChangedPackageByteBreaksTheSignature() throws Exception {
        SignedPackage pkg = Fixtures.urlPackage(dir, "1", "bad.example");
        byte[] bytes = pkg.bytes().clone();
        bytes[bytes.length / 2] ^= 1;
        assertThat(refusal(reader, new SignedPackage(bytes, pkg.signature()))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aPackageSignedByAnotherKeyIsRefused() throws Exception {
        Path src = Fixtures.urlLists(dir.resolve("src"), "bad.example");
        SignedPackage pkg = PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("1"), Fixtures.CREATED, src, STRANGER.getPrivate());
        assertThat(refusal(reader, pkg)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aFileThatDoesNotMatchItsManifestHashIsRefused() throws Exception {
        byte[] content = utf8("bad.example\n");
        byte[] listed = utf8("good.example\n");
        var entries = Fixtures.entries();
        entries.add(Map.entry("manifest.json", manifest("urlfilter", "1",
                List.of(new Manifest.File("phishing/domains", content.length, sha(listed))))));
        entries.add(Map.entry("files/phishing/domains", content));
        assertThat(refusal(reader, raw(entries))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aFileMissingFromTheManifestOrFromThePackageIsRefused() throws Exception {
        byte[] content = utf8("x\n");
        var extra = Fixtures.entries();
        extra.add(Map.entry("manifest.json", manifest("ips", "1", List.of())));
        extra.add(Map.entry("files/local.rules", content));
        assertThat(refusal(reader, raw(extra))).isEqualTo(Reason.MALFORMED);

        var missing = Fixtures.entries();
        missing.add(Map.entry("manifest.json", manifest("ips", "1", List.of(new Manifest.File("a.rules", 2, sha(content))))));
        assertThat(refusal(reader, raw(missing))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void anUnknownKindIsRefused() throws Exception {
        var entries = Fixtures.entries();
        entries.add(Map.entry("manifest.json", utf8("""
                {"format":1,"kind":"firmware","version":"1","created":"2026-11-23T01:02:03Z","files":[]}""")));
        assertThatThrownBy(() -> reader.unpack(raw(entries), dir.resolve("out")))
                .isInstanceOf(Refused.class).hasMessageContaining("unknown definitions kind 'firmware'");
    }

    @Test
    void aManifestWithAnUnknownFieldOrBadVersionIsRefused() throws Exception {
        for (String json : List.of(
                "{\"format\":1,\"kind\":\"av\",\"version\":\"1\",\"created\":\"2026-11-23T01:02:03Z\",\"files\":[],\"extra\":1}",
                "{\"format\":1,\"kind\":\"av\",\"version\":\"01\",\"created\":\"2026-11-23T01:02:03Z\",\"files\":[]}",
                "{\"format\":2,\"kind\":\"av\",\"version\":\"1\",\"created\":\"2026-11-23T01:02:03Z\",\"files\":[]}",
                "[1,2]")) {
            var entries = Fixtures.entries();
            entries.add(Map.entry("manifest.json", utf8(json)));
            assertThat(refusal(reader, raw(entries))).as(json).isEqualTo(Reason.MALFORMED);
        }
    }

    @Test
    void pathTraversalAndAbsolutePathsAreRefusedAndNothingIsWrittenOutside() throws Exception {
        for (String name : List.of("files/../../evil", "../evil", "/etc/evil", "files//evil", "files/a\\..\\..\\evil", "C:/evil")) {
            var entries = Fixtures.entries();
            entries.add(Map.entry("manifest.json", manifest("ips", "1", List.of())));
            entries.add(Map.entry(name, utf8("x")));
            assertThat(refusal(reader, raw(entries))).as(name).isEqualTo(Reason.MALFORMED);
            assertThat(dir.resolve("evil")).doesNotExist();
            assertThat(dir.resolve("unpacked/evil")).doesNotExist();
        }
    }

    @Test
    void aSymbolicLinkEntryIsRefused() throws Exception {
        byte[] target = utf8("/etc/passwd");
        var entries = Fixtures.entries();
        entries.add(Map.entry("manifest.json", manifest("ips", "1", List.of(new Manifest.File("a.rules", target.length, sha(target))))));
        entries.add(Map.entry("files/a.rules", target));
        byte[] zip = Fixtures.markSymlink(PackageWriter.zip(entries), "files/a.rules");
        SignedPackage pkg = new SignedPackage(zip, PackageWriter.sign(zip, OPERATOR.getPrivate()));
        assertThatThrownBy(() -> reader.unpack(pkg, dir.resolve("out")))
                .isInstanceOf(Refused.class).hasMessageContaining("symbolic link");
    }

    @Test
    void aZipBombIsRefusedOnceItUnpacksPastTheLimit() throws Exception {
        byte[] zeros = new byte[4 * 1024 * 1024];
        var entries = Fixtures.entries();
        entries.add(Map.entry("manifest.json", manifest("ips", "1", List.of(new Manifest.File("a.rules", zeros.length, sha(zeros))))));
        entries.add(Map.entry("files/a.rules", zeros));
        SignedPackage bomb = raw(entries);
        assertThat(bomb.bytes().length).isLessThan(64 * 1024); // a thousand to one
        PackageReader small = new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults().withMaxUnpackedBytes(1024 * 1024));
        assertThat(refusal(small, bomb)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void tooManyEntriesAreRefusedBeforeAnythingIsUnpacked() throws Exception {
        var entries = Fixtures.entries();
        entries.add(Map.entry("manifest.json", manifest("ips", "1", List.of())));
        for (int i = 0; i < 20; i++) {
            entries.add(Map.entry("files/" + i + ".rules", utf8("x")));
        }
        PackageReader strict = new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults().withMaxEntries(10));
        assertThatThrownBy(() -> strict.unpack(raw(entries), dir.resolve("out")))
                .isInstanceOf(Refused.class).hasMessageContaining("21 entries, more than the limit of 10");
        assertThat(dir.resolve("out")).as("refused from the central directory, before unpacking").doesNotExist();
    }

    @Test
    void aPackageOverTheByteLimitIsRefusedBeforeItsSignatureIsChecked() throws Exception {
        SignedPackage pkg = Fixtures.urlPackage(dir, "1", "bad.example");
        PackageReader strict = new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults().withMaxPackageBytes(100));
        assertThat(refusal(strict, pkg)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void bytesThatAreNotAZipAreRefused() throws Exception {
        byte[] junk = utf8("this is not a zip file at all, just some words long enough");
        assertThat(refusal(reader, new SignedPackage(junk, PackageWriter.sign(junk, OPERATOR.getPrivate())))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void versionsCompareNumberByNumber() {
        assertThat(PackageVersion.parse("1.10").isNewerThan(PackageVersion.parse("1.9"))).isTrue();
        assertThat(PackageVersion.parse("2026.11.23.2").isNewerThan(PackageVersion.parse("2026.11.23.1"))).isTrue();
        assertThat(PackageVersion.parse("1").compareTo(PackageVersion.parse("1.0"))).isZero();
        for (String bad : List.of("", "1..2", "01", "1.2.3.4.5", "a", "-1", "1.2/3", "../1")) {
            assertThatThrownBy(() -> PackageVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
