package org.omamori.engine.av.clamd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real clamd for tests, run through {@code scripts/clamd.sh} exactly as the demo and CI do.
 * No skipping: when clamd cannot be had, the tests fail with the script's own explanation.
 */
public final class ClamdDaemon {

    /** The shared daemon (default state folder and port); left running for other users. */
    public static final ClamdDaemon SHARED = new ClamdDaemon(Map.of());

    private final Map<String, String> environment;

    private ClamdDaemon(Map<String, String> environment) {
        this.environment = environment;
    }

    /** A private daemon in its own state folder on a free port, for tests that stop it. */
    public static ClamdDaemon isolated(Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("OMAMORI_CLAMD_DIR", stateDir.toAbsolutePath().toString());
        env.put("OMAMORI_CLAMD_PORT", Integer.toString(freePort()));
        return new ClamdDaemon(env);
    }

    public ClamdAddress address() {
        return new ClamdAddress("127.0.0.1", Integer.parseInt(run("port", 10).strip()));
    }

    /** clamd's local socket, in the state folder scripts/clamd.sh uses (OMAMORI_CLAMD_DIR, as the script reads it). */
    public java.nio.file.Path localSocket() {
        String stateDir = environment.getOrDefault("OMAMORI_CLAMD_DIR", System.getenv("OMAMORI_CLAMD_DIR"));
        return stateDir != null && !stateDir.isBlank() ? Path.of(stateDir, "clamd.sock")
                : script().getParent().getParent().resolve("run/clamd/clamd.sock");
    }

    public void start() {
        run("start", 600); // the first start may install clamav-daemon
    }

    public void stop() {
        run("stop", 60);
    }

    public void reload() {
        run("reload", 30);
    }

    public static Path script() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("scripts/clamd.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/clamd.sh not found above " + dir);
    }

    private String run(String command, int timeoutSeconds) {
        Path script = script();
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // The script detaches clamd from its stdio, so this reaches EOF when the script ends.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("scripts/clamd.sh " + command + " did not finish in " + timeoutSeconds + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("a real clamd is required for these tests and 'scripts/clamd.sh " + command
                        + "' failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
