package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.definitions.DropFolder;
import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.Manifest;
import org.omamori.definitions.OperatorKey;
import org.omamori.definitions.PackageLimits;
import org.omamori.definitions.PackageReader;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Pem;
import org.omamori.definitions.Refused;
import org.omamori.definitions.SignedPackage;
import org.omamori.store.DefinitionPackages;
import org.omamori.store.Store;

/**
 * The steps every {@code definitions build} shares: the operator's private key, the version in
 * force (the newest published in the cloud store, or a package file), the version, the comparison
 * and the shrink guard, and the signed package written out.
 */
final class DefinitionsBuild {

    /** Exit code: the feed would empty a category or drop most of what is in force. */
    static final int SHRINKS = 3;
    /** The appliances' default largest package (PackageLimits); bigger ones need their maxPackageBytes raised. */
    static final long APPLIANCE_DEFAULT_MAX = PackageLimits.defaults().maxPackageBytes();

    /** The version in force: its version and unpacked files (in a scratch folder the caller removes). */
    record InForce(PackageVersion version, Path files, String from) {
    }

    private DefinitionsBuild() {
    }

    /** Removes a scratch folder and everything under it (links themselves, never what they point to). */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Where the private key is looked for without --key: in the operator's own home, never an appliance's. */
    static Path defaultKey() {
        return Path.of(System.getProperty("user.home"), ".omamori", "operator-private.pem");
    }

    /** The operator's private key; refused when it lies in an appliance home of this checkout (run/). */
    static PrivateKey privateKey(Path given, PrintWriter out) throws IOException {
        Path file = (given != null ? given : defaultKey()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no operator private key at " + file + " (give --key PEM; docs/operations.md)");
        }
        if (file.startsWith(ApplianceHome.root().resolve("run"))) {
            throw new IllegalArgumentException(file + " lies in an appliance or cloud home: the operator's private key never lives there");
        }
        try {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                out.println("warning: " + file + " is readable by others than its owner (chmod 600 it)");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return Pem.readPrivate(file);
    }

    /**
     * The version in force of {@code kind}: from {@code against} (a package file and its .sig) or the
     * newest published in the store of {@code home}; empty when none is published yet. Its signature
     * must be the operator's: the key of {@code key}, or the cloud home's public key.
     */
    static Optional<InForce> inForce(Kind kind, Path against, Path home, PublicKey key, Path scratch) throws IOException {
        List<OperatorKey> keys = new ArrayList<>(List.of(new OperatorKey(key)));
        Path homeKey = CloudStoreAccess.home(home).resolve("keys").resolve("operator-ed25519.pem");
        if (Files.isRegularFile(homeKey)) {
            keys.add(OperatorKey.load(homeKey));
        }
        if (against != null) {
            if (!Files.isRegularFile(against)) {
                throw new IllegalArgumentException("no such package: " + against);
            }
            Path sig = against.resolveSibling(against.getFileName() + DropFolder.SIGNATURE_SUFFIX);
            if (!Files.isRegularFile(sig)) {
                throw new IllegalArgumentException("no signature beside " + against + ": " + sig);
            }
            return Optional.of(unpack(kind, Files.readAllBytes(against), Files.readString(sig, StandardCharsets.US_ASCII), keys, scratch,
                    against.toString()));
        }
        Path cloud = CloudStoreAccess.home(home);
        if (!Files.isDirectory(cloud)) {
            throw new IllegalArgumentException("no cloud home at " + cloud + " to find the version in force: give --home DIR, --against FILE, or --first for a first package");
        }
        Store opened;
        try {
            opened = CloudStoreAccess.open(cloud);
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("the cloud store of " + cloud + " could not be opened: " + e.getMessage(), e);
        }
        try (Store store = opened) {
            Optional<DefinitionPackages.Package> latest = store.definitionPackages().latest(kind.id());
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = store.definitionPackages().content(kind.id(), latest.get().version())
                    .orElseThrow(() -> new IOException("the store lost the content of " + kind + " " + latest.get().version()));
            return Optional.of(unpack(kind, bytes, latest.get().signature(), keys, scratch, "the cloud store"));
        }
    }

    private static InForce unpack(Kind kind, byte[] bytes, String signature, List<OperatorKey> keys, Path scratch, String from)
            throws IOException {
        Refused last = null;
        for (OperatorKey k : keys) {
            Path folder = scratch.resolve("in-force-" + keys.indexOf(k));
            try {
                Manifest m = new PackageReader(k, PackageLimits.defaults().withMaxPackageBytes(Math.max(bytes.length, 1)))
                        .unpack(new SignedPackage(bytes, SignedPackage.signatureOf(signature)), folder);
                if (m.kind() != kind) {
                    throw new IllegalArgumentException(from + " is a " + m.kind() + " package, not " + kind);
                }
                return new InForce(m.version(), folder.resolve("files"), from);
            } catch (Refused r) {
                delete(folder);
                last = r;
            }
        }
        throw new IllegalArgumentException("the version in force (" + from + ") is refused (" + last.reason().id() + "): " + last.getMessage());
    }

    /** {@code given}, or a date-based version (UTC: year.month.day.hhmmss as a number); newer than the one in force either way. */
    static PackageVersion version(String given, Optional<InForce> inForce, Instant now) {
        PackageVersion v;
        if (given != null) {
            v = PackageVersion.parse(given);
        } else {
            ZonedDateTime t = now.atZone(ZoneOffset.UTC);
            v = PackageVersion.parse(t.getYear() + "." + t.getMonthValue() + "." + t.getDayOfMonth() + "."
                    + (t.getHour() * 10000 + t.getMinute() * 100 + t.getSecond()));
        }
        if (inForce.isPresent() && !v.isNewerThan(inForce.get().version())) {
            throw new IllegalArgumentException("version " + v + " is not newer than " + inForce.get().version()
                    + " in force: appliances would refuse it (give a newer --version)");
        }
        return v;
    }

    /** Where the package goes: {@code out} itself when it names a .zip, else {@code <out>/<kind>-<version>.zip}. */
    static Path target(Path out, Kind kind, PackageVersion version) {
        Path o = out == null ? Path.of(".") : out;
        return o.getFileName() != null && o.getFileName().toString().endsWith(".zip") ? o : o.resolve(kind + "-" + version + ".zip");
    }

    /**
     * Prints what {@code files} holds and how it differs from the version in force, refuses a
     * shrink without {@code force}, and signs and writes the package.
     *
     * @return the exit code
     */
    static int finish(Kind kind, Path files, Optional<InForce> inForce, String givenVersion, boolean force, PrivateKey key, Path out,
                      PrintWriter pw) throws IOException {
        FeedSummary now = FeedSummary.of(kind, files);
        PackageVersion version = version(givenVersion, inForce, Instant.now());
        pw.println("内容/contents of " + kind + " " + version + ":");
        now.contents().forEach(l -> pw.println("  " + l));
        if (inForce.isEmpty()) {
            pw.println("版/in force: none published yet (a first package)");
        } else {
            FeedSummary before = FeedSummary.of(kind, inForce.get().files());
            pw.println("差分/differences from " + kind + " " + inForce.get().version() + " in force (" + inForce.get().from() + "):");
            List<String> diff = now.differences(before);
            (diff.isEmpty() ? List.of("none") : diff).forEach(l -> pw.println("  " + l));
            List<String> shrink = now.shrinkage(before);
            if (!shrink.isEmpty()) {
                shrink.forEach(l -> pw.println((force ? "forced: " : "refused: ") + l));
                if (!force) {
                    pw.println("nothing written; check the feed, or build it anyway with --force");
                    pw.flush();
                    return SHRINKS;
                }
            }
        }
        SignedPackage pkg = PackageWriter.make(kind, version, Instant.now().truncatedTo(ChronoUnit.SECONDS), files, key);
        Path zip = target(out, kind, version);
        MakeDefinitions.write(zip, pkg);
        pw.println("wrote " + zip + " (" + pkg.bytes().length + " bytes) and " + zip.getFileName() + DropFolder.SIGNATURE_SUFFIX
                + "; publish it with ./omamori definitions publish " + zip);
        if (pkg.bytes().length > APPLIANCE_DEFAULT_MAX) {
            pw.println("warning: larger than the appliances' default maxPackageBytes (" + APPLIANCE_DEFAULT_MAX
                    + "): raise it in their configuration org.omamori.definitions, or build a smaller package");
        }
        pw.flush();
        return 0;
    }
}
