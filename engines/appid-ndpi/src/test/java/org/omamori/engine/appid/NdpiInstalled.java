package org.omamori.engine.appid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.omamori.engine.appid.ndpi.Ndpi;

/**
 * Makes sure libndpi is on this machine before a test needs it, through {@code scripts/ndpi.sh
 * install} as a fresh CI machine gets it. No skipping: when it cannot be had, the test fails
 * with the script's explanation.
 */
public final class NdpiInstalled {

    private static boolean done;

    private NdpiInstalled() {
    }

    /** Installs libndpi when missing, then opens nDPI with {@code modules} modules. */
    public static synchronized Ndpi open(int modules) {
        if (!done) {
            install();
            done = true;
        }
        return Ndpi.open(modules);
    }

    private static void install() {
        Path script = script();
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "install").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/ndpi.sh install did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the real libndpi is required for these tests and 'scripts/ndpi.sh install' failed (exit "
                        + p.exitValue() + "):\n" + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing libndpi", e);
        }
    }

    static Path script() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("scripts/ndpi.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/ndpi.sh not found above " + dir);
    }
}
