package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeDefinitionsTest {

    @TempDir
    Path dir;

    @Test
    void keysMadeByTheToolSignPackagesTheApplianceAccepts() throws Exception {
        Path priv = dir.resolve("keys/operator-private.pem");
        Path pub = dir.resolve("keys/operator-ed25519.pem");
        assertThat(MakeDefinitions.run("keygen", priv.toString(), pub.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(pub).content().startsWith("-----BEGIN PUBLIC KEY-----");

        Path src = Fixtures.urlLists(dir.resolve("lists"), "bad.example");
        Path out = dir.resolve("out/urlfilter-3.zip");
        assertThat(MakeDefinitions.run("urlfilter", "3", src.toString(), priv.toString(), out.toString())).isZero();
        assertThat(MakeDefinitions.run("verify", pub.toString(), out.toString())).isZero();

        SignedPackage pkg = new SignedPackage(Files.readAllBytes(out),
                SignedPackage.signatureOf(Files.readString(dir.resolve("out/urlfilter-3.zip.sig"))));
        Installer installer = new Installer(dir.resolve("home/definitions"), new PackageReader(OperatorKey.load(pub), PackageLimits.defaults()),
                InstalledVersions.open(dir.resolve("home/state/v.properties")), Map.of(Kind.URLFILTER, (v, f) -> { }),
                Fixtures.EVENTS, new Fixtures.Recorded());
        assertThat(installer.install(pkg, "tool")).isInstanceOf(Outcome.Applied.class);

        assertThat(MakeDefinitions.run("verify", dir.resolve("keys/operator-ed25519.pem").toString(), out.toString())).isZero();
        Path stranger = dir.resolve("stranger.pem");
        Files.writeString(stranger, Pem.publicPem(Fixtures.STRANGER.getPublic()));
        assertThat(MakeDefinitions.run("verify", stranger.toString(), out.toString())).isEqualTo(1);
    }

    @Test
    void anExistingPrivateKeyIsNeverOverwrittenAndBadArgumentsSayWhy() throws Exception {
        Path priv = dir.resolve("p.pem");
        Files.writeString(priv, "keep me");
        assertThatThrownBy(() -> MakeDefinitions.run("keygen", priv.toString(), dir.resolve("q.pem").toString()))
                .isInstanceOf(IOException.class).hasMessageContaining("refusing to overwrite");
        assertThat(priv).hasContent("keep me");
        assertThatThrownBy(() -> MakeDefinitions.run("firmware", "1", dir.toString(), priv.toString(), "x.zip"))
                .hasMessageContaining("unknown definitions kind 'firmware'");
        assertThat(MakeDefinitions.run("help")).isEqualTo(2);
    }

    @Test
    void opensslKeysAreReadToo() throws Exception {
        // The PEM an `openssl genpkey -algorithm ed25519` / `openssl pkey -pubout` pair would hold.
        Path pub = dir.resolve("pub.pem");
        Files.writeString(pub, Pem.publicPem(Fixtures.OPERATOR.getPublic()).replace("\n", "\r\n"));
        assertThat(OperatorKey.load(pub).publicKey()).isEqualTo(Fixtures.OPERATOR.getPublic());
    }
}
