package org.omamori.appliance.install;

/** What became of a request to remove an engine bundle. */
public sealed interface UninstallOutcome {

    String summary();

    record Uninstalled(String symbolicName, String version) implements UninstallOutcome {
        @Override
        public String summary() {
            return "uninstalled " + symbolicName + " " + version;
        }
    }

    record NotInstalled(String symbolicName) implements UninstallOutcome {
        @Override
        public String summary() {
            return "no bundle " + symbolicName + " is installed";
        }
    }

    /** The bundle exists but is not the installer's to remove. */
    record Forbidden(String symbolicName, String reason) implements UninstallOutcome {
        @Override
        public String summary() {
            return "refused: " + reason;
        }
    }

    record Failed(String symbolicName, String reason) implements UninstallOutcome {
        @Override
        public String summary() {
            return "failed: " + symbolicName + ": " + reason;
        }
    }
}
