package org.omamori.appliance.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** What the deploy folder holds and what became of each jar in it, for the admin endpoint. */
public record DeployStatus(Path directory, List<FileStatus> files) {

    public DeployStatus {
        Objects.requireNonNull(directory, "directory");
        files = List.copyOf(files);
    }

    public enum State {
        /** Seen, but still being written or not yet stable across two scans. */
        WAITING,
        INSTALLED,
        REFUSED,
        FAILED
    }

    /**
     * @param bundle  the bundle's symbolic name, empty when not installed
     * @param version the bundle's version, empty when not installed
     * @param detail  the one-line result or refusal reason
     */
    public record FileStatus(String file, State state, String bundle, String version, String detail) {
        public FileStatus {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(bundle, "bundle");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
