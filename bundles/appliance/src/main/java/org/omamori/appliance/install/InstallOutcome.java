package org.omamori.appliance.install;

import org.omamori.appliance.trust.Signer;

/** What became of a jar handed to the installer; {@link #summary()} is one line for the operator. */
public sealed interface InstallOutcome {

    String summary();

    record Installed(String symbolicName, String version, Signer signer) implements InstallOutcome {
        @Override
        public String summary() {
            return "installed and started " + symbolicName + " " + version + ", signed by " + signer;
        }
    }

    record Updated(String symbolicName, String fromVersion, String toVersion, Signer signer) implements InstallOutcome {
        @Override
        public String summary() {
            return "updated " + symbolicName + " from " + fromVersion + " to " + toVersion + " and started it, signed by " + signer;
        }
    }

    /** Not installed, nothing changed: the jar failed verification or would replace a platform bundle. */
    record Refused(String reason) implements InstallOutcome {
        @Override
        public String summary() {
            return "refused: " + reason;
        }
    }

    /** Verified, but the framework could not install or start it. */
    record Failed(String symbolicName, String reason) implements InstallOutcome {
        @Override
        public String summary() {
            return "failed: " + symbolicName + ": " + reason;
        }
    }
}
