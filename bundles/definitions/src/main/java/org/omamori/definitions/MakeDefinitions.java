package org.omamori.definitions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Makes and signs definition packages (docs/definitions.md). Needs only this jar and
 * jackson-core on the class path.
 *
 * <pre>
 * MakeDefinitions keygen &lt;private.pem&gt; &lt;public.pem&gt;
 * MakeDefinitions &lt;urlfilter|ips|av&gt; &lt;version&gt; &lt;source folder&gt; &lt;private.pem&gt; &lt;out.zip&gt;   (also writes out.zip.sig)
 * MakeDefinitions verify &lt;public.pem&gt; &lt;package.zip&gt;   (reads package.zip.sig; prints kind and version)
 * </pre>
 * Exit codes: 0 done, 1 failed (the reason is printed), 2 usage.
 */
public final class MakeDefinitions {

    private MakeDefinitions() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("MakeDefinitions: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** The command without exiting: for tests and for callers in the same JVM. */
    public static int run(String... args) throws IOException {
        if (args.length == 3 && args[0].equals("keygen")) {
            keygen(Path.of(args[1]), Path.of(args[2]));
            System.out.println("wrote " + args[1] + " (keep it secret) and " + args[2] + " (install it as keys/operator-ed25519.pem)");
            return 0;
        }
        if (args.length == 3 && args[0].equals("verify")) {
            return verify(Path.of(args[1]), Path.of(args[2]));
        }
        if (args.length == 5) {
            Kind kind = Kind.parse(args[0]);
            PackageVersion version = PackageVersion.parse(args[1]);
            Path source = Path.of(args[2]);
            if (!Files.isDirectory(source)) {
                throw new IOException("source folder " + source + " does not exist or is not a folder");
            }
            Path out = Path.of(args[4]);
            SignedPackage pkg = PackageWriter.make(kind, version, Instant.now().truncatedTo(ChronoUnit.SECONDS), source,
                    Pem.readPrivate(Path.of(args[3])));
            write(out, pkg);
            System.out.println("wrote " + out + " (" + pkg.bytes().length + " bytes) and " + out + DropFolder.SIGNATURE_SUFFIX
                    + ": " + kind + " " + version);
            return 0;
        }
        System.err.println("""
                usage: MakeDefinitions keygen <private.pem> <public.pem>
                       MakeDefinitions <urlfilter|ips|av> <version> <source folder> <private.pem> <out.zip>
                       MakeDefinitions verify <public.pem> <package.zip>""");
        return 2;
    }

    /** Writes {@code out} and {@code out.sig} (base64 of the signature). */
    public static void write(Path out, SignedPackage pkg) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(out, pkg.bytes());
        Files.writeString(out.resolveSibling(out.getFileName() + DropFolder.SIGNATURE_SUFFIX),
                SignedPackage.signatureText(pkg.signature()) + "\n", StandardCharsets.US_ASCII);
    }

    /** A new key pair; the private key file is made readable by its owner only where the file system allows. */
    public static KeyPair keygen(Path privatePem, Path publicPem) throws IOException {
        if (Files.exists(privatePem)) {
            throw new IOException(privatePem + " exists: refusing to overwrite a private key");
        }
        KeyPair pair = Pem.generate();
        Path parent = privatePem.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.createFile(privatePem);
        try {
            Files.setPosixFilePermissions(privatePem, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the caller protects the file
        }
        Files.writeString(privatePem, Pem.privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.createDirectories(publicPem.toAbsolutePath().getParent());
        Files.writeString(publicPem, Pem.publicPem(pair.getPublic()), StandardCharsets.US_ASCII);
        return pair;
    }

    private static int verify(Path publicPem, Path zip) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        byte[] sig = SignedPackage.signatureOf(Files.readString(zip.resolveSibling(zip.getFileName() + DropFolder.SIGNATURE_SUFFIX),
                StandardCharsets.US_ASCII));
        Path scratch = Files.createTempDirectory("definitions-verify");
        try {
            Manifest m = new PackageReader(OperatorKey.load(publicPem), PackageLimits.defaults()
                    .withMaxPackageBytes(Math.max(bytes.length, 1))).unpack(new SignedPackage(bytes, sig), scratch.resolve("p"));
            System.out.println("good: " + m.kind() + " " + m.version() + ", " + m.files().size() + " files, made " + m.created());
            return 0;
        } catch (Refused r) {
            System.err.println("refused (" + r.reason().id() + "): " + r.getMessage());
            return 1;
        } finally {
            Folders.delete(scratch);
        }
    }
}
