package org.omamori.appliance.component;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.omamori.appliance.install.BundleHost;
import org.omamori.appliance.install.BundleHostException;
import org.omamori.appliance.install.HostedBundle;
import org.omamori.appliance.trust.EngineCapability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/** The installer's view of the running framework. */
final class FrameworkBundles implements BundleHost {

    private final BundleContext context;

    FrameworkBundles(BundleContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public List<HostedBundle> bundles() {
        List<HostedBundle> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            HostedBundle hosted = hosted(bundle);
            if (hosted != null) {
                bundles.add(hosted);
            }
        }
        return bundles;
    }

    @Override
    public HostedBundle install(String location, InputStream jar) throws BundleHostException {
        try {
            return described(context.installBundle(location, jar));
        } catch (BundleException | SecurityException | IllegalStateException e) {
            throw new BundleHostException(e.getMessage(), e);
        }
    }

    @Override
    public HostedBundle update(long id, InputStream jar) throws BundleHostException {
        Bundle bundle = bundle(id);
        try {
            bundle.update(jar);
            releaseOldRevision(bundle);
            return described(bundle);
        } catch (BundleException | SecurityException | IllegalStateException e) {
            throw new BundleHostException(e.getMessage(), e);
        }
    }

    @Override
    public void start(long id) throws BundleHostException {
        try {
            bundle(id).start();
        } catch (BundleException | SecurityException | IllegalStateException e) {
            throw new BundleHostException(e.getMessage(), e);
        }
    }

    @Override
    public void uninstall(long id) throws BundleHostException {
        Bundle bundle = bundle(id);
        try {
            bundle.uninstall();
            releaseOldRevision(bundle);
        } catch (BundleException | SecurityException | IllegalStateException e) {
            throw new BundleHostException(e.getMessage(), e);
        }
    }

    /** An old revision still wired to others stays in memory until refreshed; refresh only then. */
    private void releaseOldRevision(Bundle bundle) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (wiring.getRemovalPendingBundles().contains(bundle)) {
            wiring.refreshBundles(List.of(bundle));
        }
    }

    private Bundle bundle(long id) throws BundleHostException {
        Bundle bundle = context.getBundle(id);
        if (bundle == null) {
            throw new BundleHostException("bundle " + id + " is no longer installed");
        }
        return bundle;
    }

    private static HostedBundle described(Bundle bundle) throws BundleHostException {
        HostedBundle hosted = hosted(bundle);
        if (hosted == null) {
            throw new BundleHostException("bundle " + bundle.getLocation() + " has no symbolic name");
        }
        return hosted;
    }

    private static HostedBundle hosted(Bundle bundle) {
        String name = bundle.getSymbolicName();
        if (name == null) {
            return null;
        }
        // getHeaders("") gives the raw manifest, without localisation.
        String capabilities = bundle.getHeaders("").get(Constants.PROVIDE_CAPABILITY);
        return new HostedBundle(bundle.getBundleId(), name, bundle.getVersion().toString(), bundle.getLocation(),
                EngineCapability.declaredIn(capabilities));
    }
}
