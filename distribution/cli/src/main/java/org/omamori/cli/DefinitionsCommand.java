package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.omamori.definitions.DropFolder;
import org.omamori.definitions.KeyInForce;
import org.omamori.definitions.KeyRotation;
import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Manifest;
import org.omamori.definitions.OperatorKey;
import org.omamori.definitions.PackageLimits;
import org.omamori.definitions.PackageReader;
import org.omamori.definitions.Refused;
import org.omamori.definitions.SignedPackage;
import org.omamori.store.DefinitionPackages;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori definitions}: the signed definitions packages the cloud serves to the fleet (docs/definitions.md "From the cloud"). */
@Command(name = "definitions", mixinStandardHelpOptions = true, subcommands = DefinitionsBuildCommand.class,
        description = "Signed definitions packages served by the cloud to its appliances.",
        footer = {"", "Exit codes: 0 done, 1 the store could not be opened, 2 bad usage or a package refused (the reason is printed);",
                "build: 3 the feed would empty a category or drop more than half (see 'definitions build --help')."})
final class DefinitionsCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Command(name = "publish", description = "Checks a package (FILE and FILE.sig) against the operator's public key and its manifest, "
            + "and stores it in the cloud's database: every node serves it at once to the appliances that ask.")
    int publish(@Parameters(paramLabel = "FILE") Path file,
                @Option(names = "--key", paramLabel = "PEM", description = "The operator's public key (default: the home's "
                        + "keys/operator-ed25519.pem).") Path key,
                @Option(names = "--canary", paramLabel = "PERCENT", description = "Serve it first to this share of the fleet; it goes "
                        + "to all once these canaries run it without a failure.") Integer percent,
                @Option(names = "--canary-appliances", paramLabel = "ID,…", split = ",", description = "Serve it first to these "
                        + "appliances (with or without --canary).") java.util.List<String> named) {
        return CloudStoreAccess.run(spec, home, "omamori definitions", 2, store -> {
            Path pem = key != null ? key : CloudStoreAccess.home(home).resolve("keys").resolve("operator-ed25519.pem");
            byte[] bytes = read(file, DefinitionPackages.MAX_BYTES);
            Path sigFile = file.resolveSibling(file.getFileName() + DropFolder.SIGNATURE_SUFFIX);
            if (!Files.isRegularFile(sigFile)) {
                throw new IllegalArgumentException("no signature beside the package: " + sigFile);
            }
            String signature = Files.readString(sigFile, StandardCharsets.US_ASCII).strip();
            Path scratch = Files.createTempDirectory("omamori-publish");
            try {
                Manifest m = manifest(pem, bytes, signature, scratch.resolve("p"));
                Optional<DefinitionPackages.Canaries> canaries = percent == null && named == null ? Optional.empty()
                        : Optional.of(new DefinitionPackages.Canaries(percent == null ? 0 : percent, named == null ? java.util.List.of() : named));
                DefinitionPackages.Published p = store.definitionPackages().publish(m.kind().id(), m.version().text(), bytes, signature, canaries);
                PrintWriter out = spec.commandLine().getOut();
                out.println((p == DefinitionPackages.Published.NEW ? "published " : "published before, unchanged: ") + m.kind().id() + " "
                        + m.version().text() + " (" + bytes.length + " bytes, " + m.files().size() + " files, made " + m.created() + ")"
                        + canaries.map(c -> "; to its canaries first (" + c.percent() + " %" + (c.appliances().isEmpty() ? "" : " and " + c.appliances())
                                + ")").orElse("; to every appliance"));
                if (m.kind() == Kind.KEYS && key == null) {
                    // The cloud home checks packages against the operator key in force too: it follows the rotation.
                    KeyInForce trusted = KeyInForce.load(pem);
                    trusted.apply(m.version(), scratch.resolve("p").resolve("files"));
                    out.println("the cloud home now checks packages against the new operator key " + KeyRotation.fingerprint(trusted.get().publicKey())
                            + " (" + pem + "); publish packages signed by it once the appliances report keys " + m.version());
                }
                out.flush();
                return 0;
            } finally {
                DefinitionsBuild.delete(scratch);
            }
        });
    }

    @Command(name = "rotate-key", description = {"Makes a rotation of the operator key: a 'keys' package signed by the OLD private key",
            "naming the new public key (which signs the statement too), and the new public key for appliances installed from now on.",
            "Publish the package like any other; appliances that verify it with the key in force install the new key."})
    int rotateKey(@Option(names = "--old", required = true, paramLabel = "PEM", description = "The private key in force.") Path oldKey,
                  @Option(names = "--new", required = true, paramLabel = "PEM", description = "The next private key; made (mode 600) "
                          + "when the file does not exist.") Path newKey,
                  @Option(names = "--out", required = true, paramLabel = "DIR") Path outDir,
                  @Option(names = "--version", paramLabel = "VERSION", description = "default: year.month.day.hhmmss (UTC)") String version) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path scratch = null;
        try {
            java.security.PrivateKey oldPrivate = DefinitionsBuild.privateKey(oldKey, out);
            java.security.PublicKey oldPublic = org.omamori.definitions.Pem.publicOf(oldPrivate);
            Files.createDirectories(outDir);
            Path publicPem = outDir.resolve(KeyRotation.PUBLIC_KEY);
            java.security.PrivateKey nextPrivate;
            java.security.PublicKey nextPublic;
            if (Files.exists(newKey)) {
                nextPrivate = DefinitionsBuild.privateKey(newKey, out);
                nextPublic = org.omamori.definitions.Pem.publicOf(nextPrivate);
            } else {
                if (newKey.toAbsolutePath().normalize().startsWith(ApplianceHome.root().resolve("run"))) {
                    throw new IllegalArgumentException(newKey + " lies in an appliance or cloud home: the operator's private key never lives there");
                }
                java.security.KeyPair pair = MakeDefinitions.keygen(newKey, publicPem);
                out.println("made the new key pair: " + newKey + " (mode 600; keep it where packages are built)");
                nextPrivate = pair.getPrivate();
                nextPublic = pair.getPublic();
            }
            scratch = Files.createTempDirectory("omamori-rotate");
            KeyRotation.write(scratch.resolve("files"), oldPublic, nextPrivate, nextPublic);
            PackageVersion v = DefinitionsBuild.version(version, Optional.empty(), java.time.Instant.now());
            SignedPackage pkg = PackageWriter.make(Kind.KEYS, v, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    scratch.resolve("files"), oldPrivate);
            Path zip = outDir.resolve(Kind.KEYS + "-" + v + ".zip");
            MakeDefinitions.write(zip, pkg);
            Files.writeString(publicPem, org.omamori.definitions.Pem.publicPem(nextPublic), StandardCharsets.US_ASCII);
            out.println("rotation " + KeyRotation.fingerprint(oldPublic) + " → " + KeyRotation.fingerprint(nextPublic) + ": wrote " + zip
                    + " (+.sig, signed by the old key) and " + publicPem + " (install it in new appliances and cloud homes)");
            out.println("next: ./omamori definitions publish " + zip + "; sign packages with " + newKey
                    + " once the appliances report keys " + v);
            out.flush();
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("omamori definitions rotate-key: " + e.getMessage());
            return 2;
        } finally {
            if (scratch != null) {
                try {
                    DefinitionsBuild.delete(scratch);
                } catch (IOException e) {
                    err.println("omamori definitions rotate-key: " + scratch + " not removed");
                }
            }
        }
    }

    @Command(name = "list", description = "Lists the published packages, newest first per kind.")
    int list(@Option(names = "--kind", paramLabel = "KIND") String kind) {
        return CloudStoreAccess.run(spec, home, "omamori definitions", 2, store -> {
            Table table = new Table().row("種類/kind", "版/version", "bytes", "sha256", "公開/published", "配信/rollout", "");
            for (DefinitionPackages.Package p : store.definitionPackages().list(Optional.ofNullable(kind))) {
                table.row(p.kind(), p.version(), Long.toString(p.size()), p.sha256().substring(0, 16) + "…", Table.JST.format(p.publishedAt()),
                        p.rollout().name(), p.rolloutNote().orElse(""));
            }
            table.print(spec.commandLine().getOut());
            return 0;
        });
    }

    @Command(name = "promote", description = "Serves a package in its canary stage to every appliance now.")
    int promote(@Parameters(paramLabel = "KIND") String kind, @Parameters(paramLabel = "VERSION") String version) {
        return move(kind, version, DefinitionPackages.Rollout.GENERAL, "promoted by the operator");
    }

    @Command(name = "stop", description = "Stops a package's rollout: served to none.")
    int stop(@Parameters(paramLabel = "KIND") String kind, @Parameters(paramLabel = "VERSION") String version,
             @Option(names = "--note", defaultValue = "stopped by the operator") String note) {
        return move(kind, version, DefinitionPackages.Rollout.STOPPED, note);
    }

    @Command(name = "rollback", description = {"Withdraws a package: appliances that have not applied it get the newest package still",
            "served; one that applied it keeps it until a newer version is published (an appliance never takes an older",
            "version): publish the previous contents again under a new version, signed where the operator key lives."})
    int rollback(@Parameters(paramLabel = "KIND") String kind, @Parameters(paramLabel = "VERSION") String version,
                 @Option(names = "--note", required = true) String note) {
        return move(kind, version, DefinitionPackages.Rollout.WITHDRAWN, note);
    }

    private int move(String kind, String version, DefinitionPackages.Rollout to, String note) {
        return CloudStoreAccess.run(spec, home, "omamori definitions", 2, store -> {
            DefinitionPackages.Package p = store.definitionPackages().rollout(kind, version, to, note);
            PrintWriter out = spec.commandLine().getOut();
            out.println(p.kind() + " " + p.version() + ": " + p.rollout() + store.definitionPackages().latest(kind)
                    .map(x -> "; newest published " + x.version()).orElse(""));
            out.flush();
            return 0;
        });
    }

    /** The package's manifest, once its signature is the operator's and its contents are sound (unpacked aside, then removed). */
    private static Manifest manifest(Path pem, byte[] bytes, String signature, Path folder) throws IOException {
        try {
            return new PackageReader(OperatorKey.load(pem), PackageLimits.defaults().withMaxPackageBytes(Math.max(bytes.length, 1)))
                    .unpack(new SignedPackage(bytes, SignedPackage.signatureOf(signature)), folder);
        } catch (Refused r) {
            throw new IllegalArgumentException("refused (" + r.reason().id() + "): " + r.getMessage());
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("refused: " + bad.getMessage());
        }
    }

    private static byte[] read(Path file, int max) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such package: " + file);
        }
        if (Files.size(file) > max) {
            throw new IllegalArgumentException(file + " is larger than " + max + " bytes");
        }
        return Files.readAllBytes(file);
    }
}
