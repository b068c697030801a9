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
                        + "trust/operator-ed25519.pem).") Path key) {
        return CloudStoreAccess.run(spec, home, "omamori definitions", 2, store -> {
            Path pem = key != null ? key : CloudStoreAccess.home(home).resolve("trust").resolve("operator-ed25519.pem");
            byte[] bytes = read(file, DefinitionPackages.MAX_BYTES);
            Path sigFile = file.resolveSibling(file.getFileName() + DropFolder.SIGNATURE_SUFFIX);
            if (!Files.isRegularFile(sigFile)) {
                throw new IllegalArgumentException("no signature beside the package: " + sigFile);
            }
            String signature = Files.readString(sigFile, StandardCharsets.US_ASCII).strip();
            Manifest m = manifest(pem, bytes, signature);
            DefinitionPackages.Published p = store.definitionPackages().publish(m.kind().id(), m.version().text(), bytes, signature);
            PrintWriter out = spec.commandLine().getOut();
            out.println((p == DefinitionPackages.Published.NEW ? "published " : "published before, unchanged: ") + m.kind().id() + " "
                    + m.version().text() + " (" + bytes.length + " bytes, " + m.files().size() + " files, made " + m.created() + ")");
            out.flush();
            return 0;
        });
    }

    @Command(name = "list", description = "Lists the published packages, newest first per kind.")
    int list(@Option(names = "--kind", paramLabel = "KIND") String kind) {
        return CloudStoreAccess.run(spec, home, "omamori definitions", 2, store -> {
            Table table = new Table().row("種類/kind", "版/version", "bytes", "sha256", "公開/published");
            for (DefinitionPackages.Package p : store.definitionPackages().list(Optional.ofNullable(kind))) {
                table.row(p.kind(), p.version(), Long.toString(p.size()), p.sha256().substring(0, 16) + "…", Table.JST.format(p.publishedAt()));
            }
            table.print(spec.commandLine().getOut());
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
