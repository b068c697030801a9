package org.omamori.appliance.install;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an engine bundle came from. It becomes the bundle's location, which the framework keeps
 * across restarts: that is how the appliance later knows which bundles it installed, and which
 * deploy-folder file a bundle belongs to.
 */
public sealed interface Origin {

    String SCHEME = "omamori-appliance:";

    /** The framework location for a new bundle of this symbolic name. */
    String location(String symbolicName);

    /** Uploaded through the local admin endpoint. */
    record Admin() implements Origin {
        @Override
        public String location(String symbolicName) {
            return SCHEME + "admin/" + symbolicName;
        }

        @Override
        public String toString() {
            return "admin upload";
        }
    }

    /** A jar file in the deploy folder, by its file name. */
    record DeployFile(String fileName) implements Origin {
        public DeployFile {
            Objects.requireNonNull(fileName, "fileName");
            if (fileName.isEmpty() || fileName.contains("/")) {
                throw new IllegalArgumentException("a deploy file name has no directories: " + fileName);
            }
        }

        @Override
        public String location(String symbolicName) {
            return SCHEME + "deploy/" + fileName;
        }

        @Override
        public String toString() {
            return "deploy/" + fileName;
        }
    }

    static Origin admin() {
        return new Admin();
    }

    static Origin deployFile(String fileName) {
        return new DeployFile(fileName);
    }

    /** The origin a location was made from; empty for bundles this appliance did not install. */
    static Optional<Origin> ofLocation(String location) {
        if (location == null || !location.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = location.substring(SCHEME.length());
        if (rest.startsWith("admin/")) {
            return Optional.of(new Admin());
        }
        if (rest.startsWith("deploy/") && rest.length() > "deploy/".length()) {
            return Optional.of(new DeployFile(rest.substring("deploy/".length())));
        }
        return Optional.empty();
    }
}
