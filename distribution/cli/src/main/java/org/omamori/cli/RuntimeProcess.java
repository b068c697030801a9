package org.omamori.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starting a runtime's jar (the appliance, a cloud node) in its own JVM, as the commands do. */
final class RuntimeProcess {

    private RuntimeProcess() {
    }

    /** The command that runs a runtime jar with the same Java as this CLI. */
    static List<String> javaCommand(Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 23) {
            // Felix 7 still reads fields through sun.misc.Unsafe; say it is allowed instead of warning.
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    /** Runs it in the foreground with this terminal; Ctrl-C stops it cleanly; its exit code. */
    static int runInForeground(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        return process.waitFor();
    }

    /** Stops a runtime cleanly (its shutdown hooks run), forcibly when it has not ended after 20 s. */
    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
