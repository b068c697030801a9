package org.omamori.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

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
            for (String sub : List.of("etc", "deploy", "trust", "state")) {
                Files.createDirectories(dir.resolve(sub));
            }
            if (!Files.exists(lists())) {
                copyTree(sampleLists(), lists());
            }
            if (!Files.exists(rules())) {
                copyTree(projectRules(), rules());
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the appliance home " + dir + ": " + e.getMessage(), e);
        }
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

    /** The command that runs the appliance in this home with the same Java as this CLI. */
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 23) {
            // Felix 7 still reads fields through sun.misc.Unsafe; say it is allowed instead of warning.
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-jar");
        cmd.add(applianceJar().toString());
        return cmd;
    }

    Process start(boolean inheritOutput) throws IOException {
        Files.deleteIfExists(state().resolve("admin.port"));
        ProcessBuilder builder = new ProcessBuilder(command()).directory(dir.toFile());
        if (inheritOutput) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true).redirectOutput(dir.resolve("appliance.log").toFile());
        }
        return builder.start();
    }

    private static void copyTree(Path from, Path to) throws IOException {
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
