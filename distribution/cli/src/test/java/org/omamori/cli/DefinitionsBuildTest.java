package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.cli.Feeds.Entry;
import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.Manifest;
import org.omamori.definitions.OperatorKey;
import org.omamori.definitions.PackageLimits;
import org.omamori.definitions.PackageReader;
import org.omamori.definitions.SignedPackage;

/** {@code ./omamori definitions build urlfilter|ips|av}: small hand-made feeds in the real layouts, against a real cloud home store. */
class DefinitionsBuildTest extends CloudHomeCommands {

    private KeyPair operator;
    private Path key;
    private Path dist;

    @BeforeEach
    void keys() throws Exception {
        key = home.resolve("operator/operator-private.pem");
        operator = MakeDefinitions.keygen(key, home.resolve("keys/operator-ed25519.pem"));
        dist = home.resolve("out");
    }

    /** A UT1 layout: blacklists/<category>/domains|urls, a link between categories, an unmapped category, other files. */
    private Path ut1(Path root, String phishing) throws Exception {
        Path b = root.resolve("blacklists");
        Feeds.write(b.resolve("phishing/domains"), phishing);
        Feeds.write(b.resolve("phishing/usage"), "black\n");
        Feeds.write(b.resolve("malware/domains"), "malware.example\n# comment\n\nbad-download.test");
        Feeds.write(b.resolve("malware/urls"), "files.example/payload\n");
        Feeds.write(b.resolve("adult/domains"), "adult.example\n");
        Files.createSymbolicLink(b.resolve("porn"), Path.of("adult"));
        Feeds.write(b.resolve("games/domains"), "game.example\n");
        Feeds.write(b.resolve("global_usage"), "NAME: phishing\n");
        Feeds.write(b.resolve("README"), "UT1 test layout\n");
        return root;
    }

    private Path mapping() throws Exception {
        return Feeds.write(home.resolve("mapping.conf"), """
                # UT1 name = our category
                phishing = phishing
                malware  = malware   # both of theirs into one of ours
                adult = adult
                porn = adult
                """);
    }

    private Manifest unpack(Path zip, Path into) throws Exception {
        byte[] bytes = Files.readAllBytes(zip);
        byte[] sig = SignedPackage.signatureOf(Files.readString(zip.resolveSibling(zip.getFileName() + ".sig"), StandardCharsets.US_ASCII));
        return new PackageReader(new OperatorKey(operator.getPublic()), PackageLimits.defaults()).unpack(new SignedPackage(bytes, sig), into);
    }

    @Test
    void aUt1FolderBecomesASignedPackageAndTheNextOneIsComparedWithTheVersionPublished() throws Exception {
        ut1(home.resolve("feed1"), "phish.example\nlogin-bank.test\n");
        Path categories = Feeds.write(home.resolve("categories.conf"), "phishing | block | high | フィッシング詐欺 | Phishing\n");

        assertThat(run("definitions", "build", "urlfilter", "--from", home.resolve("feed1").toString(), "--mapping", mapping().toString(),
                "--categories", categories.toString(), "--key", key.toString(), "--out", dist.toString(), "--version", "2026.12.5.1"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("phishing: 2 entries", "malware: 3 entries", "adult: 1 entries",
                "adult ← adult, porn (the same list again, through a link)", "left out (not in the mapping): games",
                "none published yet", "the URL filter engine loads 6 entries");
        Path first = dist.resolve("urlfilter-2026.12.5.1.zip");
        Manifest m = unpack(first, home.resolve("check1"));
        assertThat(m.kind()).isEqualTo(Kind.URLFILTER);
        assertThat(m.files()).extracting(Manifest.File::path)
                .containsExactlyInAnyOrder("categories.conf", "phishing/domains", "malware/domains", "malware/urls", "adult/domains");
        assertThat(Files.readString(home.resolve("check1/files/malware/domains"))).isEqualTo("malware.example\n# comment\n\nbad-download.test\n");
        assertThat(run("definitions", "publish", first.toString())).as(err.toString()).isZero();

        // The next feed, as a tarball: one phishing entry replaced; compared with the version published; categories.conf carried over.
        Feeds.tarball(home.resolve("blacklists.tar.gz"), List.of(Entry.dir("blacklists/"), Entry.file("blacklists/phishing/domains",
                        "phish.example\nnew-phish.test\n"), Entry.file("blacklists/malware/domains", "malware.example\nbad-download.test\n"),
                Entry.file("blacklists/malware/urls", "files.example/payload\n"), Entry.file("blacklists/adult/domains", "adult.example\n"),
                Entry.symlink("blacklists/porn", "adult"), Entry.file("blacklists/README", "x\n")));
        assertThat(run("definitions", "build", "urlfilter", "--from", home.resolve("blacklists.tar.gz").toString(), "--mapping",
                mapping().toString(), "--key", key.toString(), "--out", dist.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("differences from urlfilter 2026.12.5.1 in force (the cloud store)", "phishing: +1 -1 entries (2 → 2)")
                .doesNotContain("malware: +");
        Path second = Files.list(dist).filter(p -> p.toString().endsWith(".zip") && !p.equals(first)).findFirst().orElseThrow();
        assertThat(unpack(second, home.resolve("check2")).files()).extracting(Manifest.File::path).contains("categories.conf");

        // A feed that lost its phishing list would empty the category: refused, nothing written, unless forced.
        ut1(home.resolve("feed3"), "");
        long zips = Files.list(dist).count();
        assertThat(run("definitions", "build", "urlfilter", "--from", home.resolve("feed3").toString(), "--mapping", mapping().toString(),
                "--key", key.toString(), "--out", dist.toString())).isEqualTo(3);
        assertThat(out.toString()).contains("refused: category phishing would be emptied (2 entries in force)", "nothing written");
        assertThat(Files.list(dist).count()).isEqualTo(zips);
        assertThat(run("definitions", "build", "urlfilter", "--from", home.resolve("feed3").toString(), "--mapping", mapping().toString(),
                "--key", key.toString(), "--out", dist.toString(), "--force")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("forced: category phishing would be emptied");

        // A version not newer than the one in force is refused (appliances would refuse it).
        assertThat(run("definitions", "build", "urlfilter", "--from", home.resolve("feed1").toString(), "--mapping", mapping().toString(),
                "--key", key.toString(), "--out", dist.toString(), "--version", "2026.12.5")).isEqualTo(2);
        assertThat(err.toString()).contains("is not newer than 2026.12.5.1 in force");
    }

    @Test
    void hostileTarballsAndLinksOutOfTheFeedAreRefusedWithTheEntryNamed() throws Exception {
        Path mapping = mapping();
        Path secret = Feeds.write(home.resolve("outside/domains"), "secret.example\n");
        record Case(String what, List<Entry> entries, String says) {
        }
        List<Case> cases = List.of(
                new Case("dot-dot", List.of(Entry.file("blacklists/../../evil/domains", "x.example\n")), "climbs out with '..'"),
                new Case("absolute", List.of(Entry.file("/tmp/evil/domains", "x.example\n")), "is absolute"),
                new Case("symlink out", List.of(Entry.file("blacklists/adult/domains", "a.example\n"),
                        Entry.symlink("blacklists/phishing", "../../" + secret.getParent())), "points outside the archive"),
                new Case("absolute symlink", List.of(Entry.symlink("blacklists/phishing", secret.getParent().toString())),
                        "points outside the archive"));
        for (Case c : cases) {
            Path tgz = Feeds.tarball(home.resolve("hostile/" + c.what().replace(' ', '-') + ".tar.gz"), c.entries());
            assertThat(run("definitions", "build", "urlfilter", "--from", tgz.toString(), "--mapping", mapping.toString(),
                    "--key", key.toString(), "--out", dist.toString())).as(c.what()).isEqualTo(2);
            assertThat(err.toString()).as(c.what()).contains(c.says());
        }
        assertThat(dist).doesNotExist();

        // A folder feed whose category is a link out of it.
        Path feed = ut1(home.resolve("feed"), "phish.example\n");
        Files.delete(feed.resolve("blacklists/porn"));
        Files.createSymbolicLink(feed.resolve("blacklists/porn"), secret.getParent());
        assertThat(run("definitions", "build", "urlfilter", "--from", feed.toString(), "--mapping", mapping.toString(),
                "--key", key.toString(), "--out", dist.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("porn: a symbolic link leading outside the feed");

        // A mapping file with a bad line names file and line.
        Path bad = Feeds.write(home.resolve("bad-mapping.conf"), "phishing = phishing\n\nmalware => Malware\n");
        assertThat(run("definitions", "build", "urlfilter", "--from", feed.toString(), "--mapping", bad.toString(),
                "--key", key.toString(), "--out", dist.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad-mapping.conf:3:");
    }

    @Test
    void etStyleRulesAreFilteredByDisableEnableAndModifyAndComparedBySid() throws Exception {
        Path feed = home.resolve("et");
        Feeds.write(feed.resolve("rules/emerging-malware.rules"), """
                # Emerging Threats test rules (hand-made)
                alert http any any -> any any (msg:"ET MALWARE one"; content:"evil-one"; sid:2000001; rev:1;)
                alert http any any -> any any (msg:"ET MALWARE two"; content:"evil-two"; sid:2000002; rev:3;)
                # alert http any any -> any any (msg:"ET MALWARE heartbleed probe"; content:"hb"; sid:2000003; rev:1;)
                alert http any any -> any any (msg:"ET MALWARE seconds"; content:"evil-four"; threshold: type limit, seconds 60; sid:2000004; rev:1;)
                """);
        Feeds.write(feed.resolve("rules/emerging-icmp.rules"), """
                alert icmp any any -> any any (msg:"ET ICMP ping"; itype:8; sid:2100001; rev:1;)
                """);
        Feeds.write(feed.resolve("disable.conf"), "# off\n2000002\ngroup:emerging-icmp\n");
        Feeds.write(feed.resolve("enable.conf"), "re:heartbleed\n1:2999999\n");
        Feeds.write(feed.resolve("modify.conf"), "2000004 \"seconds \\d+\" \"seconds 3600\"\nre:ET MALWARE one \"^alert\" \"drop\"\n");

        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.resolve("ips-1.zip").toString(), "--version", "1", "--against", "none.zip")).isEqualTo(2);
        assertThat(err.toString()).contains("no such package: none.zip");
        // First package: compared with nothing (the cloud home's store is empty).
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.resolve("ips-1.zip").toString(), "--version", "1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("read 5 rules from 2 files; 3 enabled (disable.conf turned off 2, enable.conf on 1, modify.conf changed 2)",
                "enable.conf:2: '1:2999999' matched no rule", "emerging-malware.rules: 3 rules", "total: 3 rules in 1 files");
        unpack(dist.resolve("ips-1.zip"), home.resolve("ips1"));
        String rules = Files.readString(home.resolve("ips1/files/emerging-malware.rules"));
        assertThat(rules).contains("drop http any any -> any any (msg:\"ET MALWARE one\"", "sid:2000003", "seconds 3600")
                .doesNotContain("sid:2000002", "seconds 60");
        assertThat(home.resolve("ips1/files/emerging-icmp.rules")).doesNotExist();

        // Against that package: one rule more, one gone, one changed; then most rules gone is refused.
        Files.writeString(feed.resolve("disable.conf"), "2000001\n");
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.toString(), "--version", "2", "--against", dist.resolve("ips-1.zip").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sids added: 2 (1:2000002, 1:2100001)", "sids removed: 1 (1:2000001)");
        Files.writeString(feed.resolve("disable.conf"), "group:emerging-*\n");
        Files.writeString(feed.resolve("enable.conf"), "2000004\n");
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.toString(), "--version", "3", "--against", dist.resolve("ips-1.zip").toString())).isEqualTo(3);
        assertThat(out.toString()).contains("refused: it holds 1 against 3 in force: more than half would be gone");

        // The project's own rules go in beside the feed's (the package is the whole rule set).
        Files.writeString(feed.resolve("disable.conf"), "");
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--key", key.toString(),
                "--out", dist.resolve("ips-4.zip").toString(), "--version", "4")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("omamori.rules: ");

        Feeds.write(feed.resolve("modify.conf"), "2000004 seconds 3600\n");
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--key", key.toString(), "--out", dist.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("modify.conf:1: expected FILTER \"FROM\" \"TO\"");
    }

    @Test
    void freshclamDatabasesAndTheProjectsSignaturesMakeAnAvPackageWithVersionsAndCounts() throws Exception {
        Path freshclam = Files.createDirectories(home.resolve("clamav"));
        Files.write(freshclam.resolve("main.cvd"), Feeds.cvd("main.hdb", 62, 40));
        Files.write(freshclam.resolve("daily.cvd"), Feeds.cvd("daily.hdb", 27500, 10));
        Files.write(freshclam.resolve("daily.cld"), Feeds.cvd("daily.hdb", 27502, 12)); // freshclam's incremental copy: newer
        Feeds.write(freshclam.resolve("freshclam.dat"), "state\n");

        assertThat(run("definitions", "build", "av", "--from", freshclam.toString(), "--key", key.toString(),
                "--out", dist.resolve("av-1.zip").toString(), "--version", "1", "--against", "x")).isEqualTo(2);
        assertThat(run("definitions", "build", "av", "--from", freshclam.toString(), "--key", key.toString(),
                "--out", dist.resolve("av-1.zip").toString(), "--version", "1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("daily.cld: version 27502, 12 signatures", "main.cvd: version 62, 40 signatures",
                "omamori.hdb: 1 signatures", "omamori.ndb: ", "left out: daily.cvd (not newer than daily.cld)", "freshclam.dat");
        assertThat(unpack(dist.resolve("av-1.zip"), home.resolve("av1")).files()).extracting(Manifest.File::path)
                .containsExactlyInAnyOrder("daily.cld", "main.cvd", "omamori.hdb", "omamori.hsb", "omamori.ndb");

        // The next day's daily, compared with that package.
        Files.delete(freshclam.resolve("daily.cld"));
        Files.write(freshclam.resolve("daily.cvd"), Feeds.cvd("daily.hdb", 27503, 15));
        assertThat(run("definitions", "build", "av", "--from", freshclam.toString(), "--key", key.toString(), "--out", dist.toString(),
                "--version", "2", "--against", dist.resolve("av-1.zip").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("added daily.cvd: version 27503, 15 signatures", "removed daily.cld: version 27502");

        // Without main most signatures would be gone; a cut-off download is refused by its MD5.
        assertThat(run("definitions", "build", "av", "--from", freshclam.toString(), "--databases", "daily", "--key", key.toString(),
                "--out", dist.toString(), "--version", "3", "--against", dist.resolve("av-1.zip").toString())).isEqualTo(3);
        byte[] main = Files.readAllBytes(freshclam.resolve("main.cvd"));
        Files.write(freshclam.resolve("main.cvd"), java.util.Arrays.copyOf(main, main.length - 10));
        assertThat(run("definitions", "build", "av", "--from", freshclam.toString(), "--key", key.toString(), "--out", dist.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("main.cvd: the body's MD5 is not the header's");
        Files.write(freshclam.resolve("main.cvd"), "ClamAV-VDB:garbage".getBytes(StandardCharsets.US_ASCII));
        assertThat(run("definitions", "build", "av", "--from", freshclam.toString(), "--key", key.toString(), "--out", dist.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("main.cvd: shorter than a ClamAV database header");
    }

    @Test
    void withoutACloudHomeTheVersionInForceMustBeNamedOrAFirstPackageSaid() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DefinitionsBuild.inForce(Kind.IPS, null, home.resolve("nowhere"),
                operator.getPublic(), Files.createTempDirectory(home, "s"))).hasMessageContaining("--first for a first package");
        Feeds.write(home.resolve("et/a.rules"), "alert tcp any any -> any any (msg:\"x\"; content:\"x\"; sid:1; rev:1;)\n");
        assertThat(run("definitions", "build", "ips", "--from", home.resolve("et").toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.toString(), "--first", "--against", "x.zip")).isEqualTo(2);
        assertThat(err.toString()).contains("--first and --against exclude each other");
        assertThat(run("definitions", "build", "ips", "--from", home.resolve("et").toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.toString(), "--first", "--version", "1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("none published yet", "a.rules: 1 rules");
    }

    @Test
    void aKeyRotationIsPublishedAndTheCloudHomeThenTakesOnlyPackagesOfTheNewKey() throws Exception {
        Path next = home.resolve("operator/next-private.pem");
        assertThat(run("definitions", "rotate-key", "--old", key.toString(), "--new", next.toString(), "--out", dist.toString(),
                "--version", "2026.12.5.1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("made the new key pair", "keys-2026.12.5.1.zip");
        assertThat(next).exists();
        assertThat(dist.resolve("operator-ed25519.pem")).exists();

        assertThat(run("definitions", "publish", dist.resolve("keys-2026.12.5.1.zip").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("published keys 2026.12.5.1", "the cloud home now checks packages against the new operator key");
        assertThat(Files.readString(home.resolve("keys/operator-ed25519.pem"))).isEqualTo(Files.readString(dist.resolve("operator-ed25519.pem")));

        // Built with the new key: published; with the old one: refused.
        Path feed = home.resolve("et");
        Feeds.write(feed.resolve("rules/a.rules"), "alert tcp any any -> any any (msg:\"x\"; content:\"x\"; sid:1; rev:1;)\n");
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--own", "none", "--key", next.toString(),
                "--out", dist.resolve("new.zip").toString(), "--version", "1")).as(err.toString()).isZero();
        assertThat(run("definitions", "publish", dist.resolve("new.zip").toString())).as(err.toString()).isZero();
        assertThat(run("definitions", "build", "ips", "--from", feed.toString(), "--own", "none", "--key", key.toString(),
                "--out", dist.resolve("old.zip").toString(), "--version", "2")).as(err.toString()).isZero();
        assertThat(run("definitions", "publish", dist.resolve("old.zip").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("refused (bad-signature)");
        // A rotation from a key not in force is refused at publish.
        assertThat(run("definitions", "rotate-key", "--old", key.toString(), "--new", home.resolve("operator/third.pem").toString(),
                "--out", home.resolve("out2").toString(), "--version", "2026.12.6")).isZero();
        assertThat(run("definitions", "publish", home.resolve("out2/keys-2026.12.6.zip").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("refused (bad-signature)");
    }
}
