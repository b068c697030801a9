package org.omamori.engine.antispam.rspamd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real rspamd for tests, run through {@code scripts/rspamd.sh} exactly as the demo and CI
 * do. No skipping: when rspamd cannot be had, the tests fail with the script's own explanation.
 * A daemon this JVM started is stopped when the JVM ends (the test run); one that was already
 * running (a demo, another module's tests) is left alone.
 */
public final class RspamdDaemon {

    public static final RspamdDaemon SHARED = new RspamdDaemon();

    private boolean started;

    private RspamdDaemon() {
    }

    /** Starts rspamd if it is not running; stops it at the end of the JVM if this call started it. */
    public synchronized InetSocketAddress start() {
        if (!started) {
            boolean wasUp = run("status", 30, false) == 0;
            run("start", 900, true); // the first start may install rspamd and compile its rules
            started = true;
            if (!wasUp) {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> run("stop", 60, false)));
            }
        }
        return address();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(output("port").strip()));
    }

    public static Path script() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("scripts/rspamd.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/rspamd.sh not found above " + dir);
    }

    private String lastOutput = "";

    private String output(String command) {
        run(command, 10, true);
        return lastOutput;
    }

    private synchronized int run(String command, int timeoutSeconds, boolean mustSucceed) {
        Path script = script();
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // The script detaches rspamd from its stdio, so this reaches EOF when the script ends.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("scripts/rspamd.sh " + command + " did not finish in " + timeoutSeconds + " s");
            }
            lastOutput = new String(output, StandardCharsets.UTF_8);
            if (mustSucceed && process.exitValue() != 0) {
                throw new IllegalStateException("a real rspamd is required for these tests and 'scripts/rspamd.sh " + command
                        + "' failed (exit " + process.exitValue() + "):\n" + lastOutput);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
