package org.omamori.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.omamori.definitions.MakeDefinitions;
import org.omamori.launcher.ClassDataArchive;
import org.omamori.launcher.MemoryBudget;

/**
 * The folder an appliance runs in: {@code etc/} configuration, {@code lists/} URL category
 * lists, {@code rules/} IPS rules, {@code deploy/} engine bundles to install, {@code trust/} trusted signer
 * certificates, {@code state/} the bundle cache and the admin token.
 */
record ApplianceHome(Path dir) {

    /** The project checkout the CLI runs from (set by the ./omamori script). */
    static Path root() {
        return Path.of(System.getProperty("omamori.root", ".")).toAbsolutePath().normalize();
    }

    static ApplianceHome named(String name) {
        return new ApplianceHome(root().resolve("run").resolve(name));
    }

    Path lists() {
        return dir.resolve("lists");
    }

    Path rules() {
        return dir.resolve("rules");
    }

    Path state() {
        return dir.resolve("state");
    }

    /** Creates the folders and, where none exist yet, the project's sample lists. */
    ApplianceHome prepare() {
        try {
            for (String sub : List.of("etc", "deploy", "trust", "keys", "state")) {
                Files.createDirectories(dir.resolve(sub));
            }
            if (!Files.exists(lists())) {
                copyTree(sampleLists(), lists());
            }
            if (!Files.exists(rules())) {
                copyTree(projectRules(), rules());
            }
            Path legacy = dir.resolve("trust").resolve("operator-ed25519.pem");
            if (!Files.exists(operatorPublicKey()) && Files.isRegularFile(legacy)) {
                Files.move(legacy, operatorPublicKey()); // a home made before the key moved out of trust/
            }
            if (!Files.exists(operatorPublicKey())) {
                // A local operator key, so definitions packages signed here are accepted; a shipped
                // appliance gets the service operator's public key instead.
                MakeDefinitions.keygen(operatorPrivateKey(), operatorPublicKey());
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the appliance home " + dir + ": " + e.getMessage(), e);
        }
    }

    Path operatorPublicKey() {
        // keys/, not trust/: trust/ holds the X.509 certificates that sign engine bundles (docs/definitions.md).
        return dir.resolve("keys").resolve("operator-ed25519.pem");
    }

    /** The local operator's signing key (mode 600), outside the folders the appliance reads. */
    Path operatorPrivateKey() {
        return dir.resolve("operator").resolve("operator-ed25519.key");
    }

    void configure(String pid, String content) {
        try {
            Files.writeString(dir.resolve("etc").resolve(pid + ".cfg"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sampleLists() {
        return root().resolve("engines/urlfilter/sample-lists");
    }

    /** The project's own IPS rules, installed in a new appliance home. */
    static Path projectRules() {
        return root().resolve("engines/ips-hyperscan/rules");
    }

    static Path applianceJar() {
        return root().resolve("distribution/appliance/target/appliance/omamori-appliance.jar");
    }

    /**
     * The appliance of this home, ready to start (a stale admin port file removed), with the JVM
     * options of its memory budget ({@code etc/org.omamori.memory.cfg}, default 512 MB; docs/operations.md "Memory budget")
     * and its class-data archive.
     *
     * @throws IllegalArgumentException naming the file and key when the budget is not acceptable
     */
    ProcessBuilder process() throws IOException {
        Files.deleteIfExists(state().resolve("admin.port"));
        List<String> command = RuntimeProcess.javaCommand(applianceJar());
        MemoryBudget budget = MemoryBudget.read(dir, MemoryBudget.DEFAULT_MEGABYTES).orElseThrow();
        command.addAll(1, budget.jvmOptions(Runtime.version().feature()));
        // As --jvm-options: the class-data archive in state/cds/ (docs/operations.md "Class-data archive").
        command.addAll(1, ClassDataArchive.jvmOptions(dir, applianceJar(), applianceJar().resolveSibling("bundles"), Runtime.version().feature()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(MemoryBudget.ENVIRONMENT);
        return builder;
    }

    /** Starts the appliance in the background, its output in {@code appliance.log}. */
    Process startLogged() throws IOException {
        return process().redirectErrorStream(true).redirectOutput(dir.resolve("appliance.log").toFile()).start();
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("sample lists not found at " + from);
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f)), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
