package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.omamori.definitions.DropFolder;
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
@Command(name = "definitions", mixinStandardHelpOptions = true,
        description = "Signed definitions packages served by the cloud to its appliances.",
        footer = {"", "Exit codes: 0 done, 1 the store could not be opened, 2 bad usage or a package refused (the reason is printed)."})
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
            Manifest m = manifest(pem, bytes, signature);
            Optional<DefinitionPackages.Canaries> canaries = percent == null && named == null ? Optional.empty()
                    : Optional.of(new DefinitionPackages.Canaries(percent == null ? 0 : percent, named == null ? java.util.List.of() : named));
            DefinitionPackages.Published p = store.definitionPackages().publish(m.kind().id(), m.version().text(), bytes, signature, canaries);
            PrintWriter out = spec.commandLine().getOut();
            out.println((p == DefinitionPackages.Published.NEW ? "published " : "published before, unchanged: ") + m.kind().id() + " "
                    + m.version().text() + " (" + bytes.length + " bytes, " + m.files().size() + " files, made " + m.created() + ")"
                    + canaries.map(c -> "; to its canaries first (" + c.percent() + " %" + (c.appliances().isEmpty() ? "" : " and " + c.appliances())
                            + ")").orElse("; to every appliance"));
            out.flush();
            return 0;
        });
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
    private static Manifest manifest(Path pem, byte[] bytes, String signature) throws IOException {
        Path scratch = Files.createTempDirectory("omamori-publish");
        try {
            return new PackageReader(OperatorKey.load(pem), PackageLimits.defaults().withMaxPackageBytes(Math.max(bytes.length, 1)))
                    .unpack(new SignedPackage(bytes, SignedPackage.signatureOf(signature)), scratch.resolve("p"));
        } catch (Refused r) {
            throw new IllegalArgumentException("refused (" + r.reason().id() + "): " + r.getMessage());
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("refused: " + bad.getMessage());
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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
