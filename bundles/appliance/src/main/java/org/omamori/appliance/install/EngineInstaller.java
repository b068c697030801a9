package org.omamori.appliance.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.appliance.trust.BundleVerifier;
import org.omamori.appliance.trust.TrustDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, updates and removes engine bundles, and only those: every jar is verified first, and
 * the framework's own platform bundles are never replaced or removed through here.
 *
 * <p>The jar is copied to a private file before it is verified and the framework installs that
 * copy, so the bytes installed are exactly the bytes verified even if the source file changes.
 * Calls are serialised: the deploy folder and the admin endpoint may ask at the same time.
 */
public final class EngineInstaller implements EngineInstallation {

    private static final Logger LOG = LoggerFactory.getLogger(EngineInstaller.class);

    private final BundleVerifier verifier;
    private final BundleHost host;
    private final Path workDirectory;

    /**
     * @param workDirectory where verified copies are kept while installing; should be readable by
     *                      the appliance's user only
     */
    public EngineInstaller(BundleVerifier verifier, BundleHost host, Path workDirectory) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.host = Objects.requireNonNull(host, "host");
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
    }

    @Override
    public synchronized InstallOutcome install(Path jar, Origin origin) {
        Path copy = null;
        try {
            Files.createDirectories(workDirectory);
            copy = Files.createTempFile(workDirectory, "engine-", ".jar");
            try (InputStream in = Files.newInputStream(jar); OutputStream out = Files.newOutputStream(copy)) {
                copyAtMost(in, out, verifier.maxBytes() + 1);
            }
            return installVerified(copy, jar, origin);
        } catch (IOException e) {
            LOG.warn("engine bundle {} from {} not installed: cannot read it: {}", jar.getFileName(), origin, e.toString());
            return new InstallOutcome.Failed(String.valueOf(jar.getFileName()), "cannot read the jar: " + e.getMessage());
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    LOG.warn("cannot delete the working copy {}: {}", copy, e.toString());
                }
            }
        }
    }

    private InstallOutcome installVerified(Path copy, Path source, Origin origin) throws IOException {
        TrustDecision decision = verifier.verify(copy);
        if (decision instanceof TrustDecision.Refused refused) {
            LOG.warn("engine bundle {} from {} refused ({}): {}", source.getFileName(), origin, refused.cause(), refused.reason());
            return new InstallOutcome.Refused(refused.reason());
        }
        TrustDecision.Trusted trusted = (TrustDecision.Trusted) decision;
        String name = trusted.symbolicName();
        Optional<HostedBundle> existing = host.find(name);
        if (existing.isPresent() && !existing.get().managedByInstaller()) {
            String reason = "bundle " + name + " is a platform bundle of the appliance, not an engine; it cannot be replaced this way";
            LOG.warn("engine bundle {} from {} refused: {}", source.getFileName(), origin, reason);
            return new InstallOutcome.Refused(reason);
        }
        if (existing.isPresent()) {
            HostedBundle old = existing.get();
            try (InputStream in = Files.newInputStream(copy)) {
                host.update(old.id(), in);
            } catch (BundleHostException e) {
                LOG.error("engine bundle {} {} from {} verified but the update failed; {} {} stays: {}",
                        name, trusted.version(), origin, name, old.version(), e.getMessage());
                return new InstallOutcome.Failed(name, "the framework refused the update, " + old.version() + " stays installed: " + e.getMessage());
            }
            try {
                host.start(old.id());
            } catch (BundleHostException e) {
                LOG.error("engine bundle {} updated to {} but does not start: {}", name, trusted.version(), e.getMessage());
                return new InstallOutcome.Failed(name, "updated to " + trusted.version()
                        + " but it does not start (fix the bundle and deploy it again): " + e.getMessage());
            }
            LOG.info("engine bundle {} updated from {} to {} (from {}, signed by {})", name, old.version(), trusted.version(), origin, trusted.signer());
            return new InstallOutcome.Updated(name, old.version(), trusted.version(), trusted.signer());
        }
        String location = origin.location(name);
        for (HostedBundle previous : host.bundles()) {
            // A deploy file that now holds another bundle: the one it held goes, or the framework would keep it.
            if (previous.location().equals(location) && previous.managedByInstaller()) {
                try {
                    host.uninstall(previous.id());
                    LOG.info("{} now holds {} instead of {}: uninstalled {} {}", origin, name, previous.symbolicName(),
                            previous.symbolicName(), previous.version());
                } catch (BundleHostException e) {
                    return new InstallOutcome.Failed(name, origin + " held " + previous.symbolicName()
                            + ", which could not be uninstalled to make room: " + e.getMessage());
                }
            }
        }
        HostedBundle installed;
        try (InputStream in = Files.newInputStream(copy)) {
            installed = host.install(location, in);
        } catch (BundleHostException e) {
            LOG.error("engine bundle {} {} from {} verified but the framework refused to install it: {}", name, trusted.version(), origin, e.getMessage());
            return new InstallOutcome.Failed(name, "the framework refused to install it: " + e.getMessage());
        }
        try {
            host.start(installed.id());
        } catch (BundleHostException e) {
            // A new bundle that cannot start is taken out again, so a failed install changes nothing.
            try {
                host.uninstall(installed.id());
            } catch (BundleHostException again) {
                LOG.error("engine bundle {} could not start, nor be uninstalled again: {}", name, again.getMessage());
            }
            LOG.error("engine bundle {} {} from {} does not start, removed it again: {}", name, trusted.version(), origin, e.getMessage());
            return new InstallOutcome.Failed(name, "it does not start, so it was removed again: " + e.getMessage());
        }
        LOG.info("engine bundle {} {} installed and started (from {}, signed by {})", name, trusted.version(), origin, trusted.signer());
        return new InstallOutcome.Installed(name, trusted.version(), trusted.signer());
    }

    @Override
    public synchronized UninstallOutcome uninstall(String symbolicName) {
        Optional<HostedBundle> found = host.find(symbolicName);
        if (found.isEmpty()) {
            return new UninstallOutcome.NotInstalled(symbolicName);
        }
        HostedBundle bundle = found.get();
        if (!bundle.managedByInstaller()) {
            String reason = "bundle " + symbolicName + " is a platform bundle of the appliance, not an engine; it cannot be uninstalled this way";
            LOG.warn("uninstall of {} refused: {}", symbolicName, reason);
            return new UninstallOutcome.Forbidden(symbolicName, reason);
        }
        try {
            host.uninstall(bundle.id());
        } catch (BundleHostException e) {
            LOG.error("uninstall of engine bundle {} {} failed: {}", symbolicName, bundle.version(), e.getMessage());
            return new UninstallOutcome.Failed(symbolicName, e.getMessage());
        }
        LOG.info("engine bundle {} {} uninstalled", symbolicName, bundle.version());
        return new UninstallOutcome.Uninstalled(symbolicName, bundle.version());
    }

    @Override
    public List<HostedBundle> installedByAppliance() {
        return host.bundles().stream().filter(b -> b.origin().isPresent()).toList();
    }

    /** One byte over the limit is enough for the verifier to say "too large"; no need to read the rest. */
    private static void copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = limit;
        for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0; ) {
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
