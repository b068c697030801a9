package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;

/** {@code ./omamori definitions publish|list}: only the operator's signed, sound packages reach the cloud's store. */
class DefinitionsCommandTest extends CloudHomeCommands {

    @Test
    void theOperatorsSignedPackageIsPublishedOnceAndAForgedOneIsRefused() throws Exception {
        KeyPair operator = MakeDefinitions.keygen(home.resolve("operator/operator-ed25519.key"), home.resolve("keys/operator-ed25519.pem"));
        Path lists = Files.createDirectories(home.resolve("src/phishing"));
        Files.writeString(lists.resolve("domains"), "phish.example\n");
        Path zip = home.resolve("out/urlfilter-2026.12.5.zip");
        Files.createDirectories(zip.getParent());
        MakeDefinitions.write(zip, PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2026.12.5"), Instant.now(), home.resolve("src"),
                operator.getPrivate()));

        assertThat(run("definitions", "publish", zip.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("published urlfilter 2026.12.5", "1 files");
        assertThat(run("definitions", "publish", zip.toString())).isZero();
        assertThat(out.toString()).contains("published before, unchanged");

        // Another key's package, and the operator's package with a byte changed: refused, nothing stored.
        KeyPair stranger = MakeDefinitions.keygen(home.resolve("x/stranger.key"), home.resolve("x/stranger.pem"));
        Path forged = home.resolve("out/urlfilter-2026.12.6.zip");
        MakeDefinitions.write(forged, PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2026.12.6"), Instant.now(), home.resolve("src"),
                stranger.getPrivate()));
        assertThat(run("definitions", "publish", forged.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("refused");
        byte[] bytes = Files.readAllBytes(zip);
        bytes[bytes.length / 2] ^= 1;
        Path tampered = home.resolve("out/tampered.zip");
        Files.write(tampered, bytes);
        Files.copy(zip.resolveSibling(zip.getFileName() + ".sig"), home.resolve("out/tampered.zip.sig"));
        assertThat(run("definitions", "publish", tampered.toString())).isEqualTo(2);
        assertThat(run("definitions", "publish", home.resolve("out/missing.zip").toString())).isEqualTo(2);

        assertThat(run("definitions", "list")).isZero();
        assertThat(out.toString()).contains("urlfilter", "2026.12.5", "GENERAL").doesNotContain("2026.12.6");

        // A canary rollout, promoted by hand; another rolled back.
        Path next = home.resolve("out/urlfilter-2026.12.7.zip");
        MakeDefinitions.write(next, PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2026.12.7"), Instant.now(), home.resolve("src"),
                operator.getPrivate()));
        assertThat(run("definitions", "publish", next.toString(), "--canary", "10", "--canary-appliances", "0f0000000001")).isZero();
        assertThat(out.toString()).contains("to its canaries first (10 % and [0f0000000001])");
        assertThat(run("definitions", "list", "--kind", "urlfilter")).isZero();
        assertThat(out.toString()).contains("CANARY");
        assertThat(run("definitions", "promote", "urlfilter", "2026.12.7")).isZero();
        assertThat(out.toString()).contains("GENERAL");
        assertThat(run("definitions", "rollback", "urlfilter", "2026.12.7", "--note", "誤検知")).isZero();
        assertThat(run("definitions", "list")).isZero();
        assertThat(out.toString()).contains("WITHDRAWN", "誤検知");
        assertThat(run("definitions", "promote", "urlfilter", "9.9")).isEqualTo(2);
        assertThat(run("definitions", "publish", next.toString(), "--canary", "101")).isEqualTo(2);
    }
}
