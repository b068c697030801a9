package org.omamori.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code state/<runtime>.pid}: one JVM per home. A start finds the file of a JVM that still runs
 * and refuses; a file left by a killed one (its pid gone, or now another program's) is replaced.
 * The clean stop removes it. Service managers (systemd's PIDFile=) and operators read it.
 */
final class PidFile {

    private PidFile() {
    }

    /** Writes this JVM's pid, or throws naming the pid of the runtime already running here. */
    static void claim(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String self = Long.toString(ProcessHandle.current().pid());
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.writeString(Files.createFile(file), self + "\n", StandardCharsets.US_ASCII);
                return;
            } catch (FileAlreadyExistsException held) {
                Optional<ProcessHandle> other = running(file);
                if (other.isPresent()) {
                    throw new IllegalStateException("already running in this home (pid " + other.get().pid() + ", " + file
                            + "); stop it first");
                }
                Files.deleteIfExists(file); // left by a JVM that was killed
            }
        }
        throw new IllegalStateException("could not write " + file);
    }

    /** The JVM the file names, when it is alive and still a java process. */
    private static Optional<ProcessHandle> running(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("java")).orElse(true));
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException unreadable) {
            return Optional.empty();
        }
    }

    /** Removes the file if it is still this JVM's. */
    static void release(Path file) {
        try {
            if (Files.readString(file, StandardCharsets.US_ASCII).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(file);
            }
        } catch (IOException | RuntimeException gone) {
            // nothing to remove
        }
    }
}
