package org.omamori.cloud.rest;

import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.omamori.cloud.ingest.Ingest;
import org.omamori.metrics.HealthCheck;
import org.omamori.store.IngestStore;

/**
 * The cloud's HTTPS server: Jetty 12 with one Jersey 3 application (the uplink API and
 * /health), TLS 1.3 only, no plain HTTP. Plain Java: the OSGi component and the tests start it
 * the same way. Jetty and Jersey are embedded in this bundle, so their class loading is the
 * bundle's own (docs/cloud.md).
 */
public final class CloudServer implements AutoCloseable {

    public static final String TLS = "TLSv1.3";

    /**
     * Jersey logs through java.util.logging; two of its warnings are false here (resources given
     * as instances "ignored" as providers, which they are not; no jakarta.activation, which we
     * do not use). Held strongly so the levels stick.
     */
    private static final java.util.logging.Logger[] QUIET = {
        java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers"),
        java.util.logging.Logger.getLogger("org.glassfish.jersey.message.internal.MessagingBinders"),
    };

    static {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(java.util.logging.Level.SEVERE);
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private CloudServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts listening. {@code store} is asked on every request, so the store may come and go
     * (an OSGi service): without one, the API answers 503 and /health says degraded.
     */
    public static CloudServer start(ServerSettings settings, Supplier<Optional<IngestStore>> store, Clock clock) throws Exception {
        return start(settings, store, Optional::empty, clock);
    }

    /** {@link #start(ServerSettings, Supplier, Clock)} also serving the definitions packages of {@code packages} (docs/api/definitions.yaml). */
    public static CloudServer start(ServerSettings settings, Supplier<Optional<IngestStore>> store,
                                    Supplier<Optional<org.omamori.store.DefinitionPackages>> packages, Clock clock) throws Exception {
        return start(settings, store, packages, Optional::empty, clock);
    }

    /** {@link #start(ServerSettings, Supplier, Supplier, Clock)} also serving each appliance its settings (docs/fleet.md). */
    public static CloudServer start(ServerSettings settings, Supplier<Optional<IngestStore>> store,
                                    Supplier<Optional<org.omamori.store.DefinitionPackages>> packages,
                                    Supplier<Optional<org.omamori.store.ApplianceSettings>> applianceSettings, Clock clock) throws Exception {
        return start(settings, store, packages, applianceSettings, List::of, clock);
    }

    /** {@link #start(ServerSettings, Supplier, Supplier, Supplier, Clock)} with the node's other health checks on /health. */
    public static CloudServer start(ServerSettings settings, Supplier<Optional<IngestStore>> store,
                                    Supplier<Optional<org.omamori.store.DefinitionPackages>> packages,
                                    Supplier<Optional<org.omamori.store.ApplianceSettings>> applianceSettings,
                                    Supplier<? extends Collection<? extends HealthCheck>> checks, Clock clock) throws Exception {
        if (!Files.isReadable(settings.keyStore())) {
            throw new IllegalArgumentException("no readable key store at " + settings.keyStore());
        }
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("cloud-http");
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // appliances may reach a node by address; the certificate check is theirs
        http.addCustomizer(secure);

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(settings.keyStore().toAbsolutePath().toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(settings.password());
        tls.setIncludeProtocols(TLS);

        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
        connector.setHost(settings.host().isEmpty() ? null : settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);

        Supplier<Optional<Ingest>> ingest = () -> store.get().map(s -> new Ingest(s, clock, settings.limits()));
        ResourceConfig app = new ResourceConfig()
                .registerInstances(new UplinkResource(ingest, new ActivationLimiter(settings.activation()), packages, applianceSettings),
                        new DefinitionsResource(ingest, packages), new SettingsResource(ingest, applianceSettings),
                        new HealthResource(new Health(store, checks)))
                .register(ErrorMappers.Refused.class)
                .register(ErrorMappers.Web.class)
                .register(ErrorMappers.BrokenBody.class)
                .register(ErrorMappers.Unexpected.class)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true)
                .property(ServerProperties.BV_FEATURE_DISABLE, true)
                .property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true)
                .property(CommonProperties.JSON_PROCESSING_FEATURE_DISABLE, true)
                .property(CommonProperties.MOXY_JSON_FEATURE_DISABLE, true);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // Jersey and HK2 find their parts with ServiceLoader through the context class loader:
        // in OSGi that must be this bundle's loader, which holds the embedded jars.
        ClassLoader own = CloudServer.class.getClassLoader();
        context.setClassLoader(own);
        context.addServlet(new ServletHolder("jersey", new ServletContainer(app)), "/*");
        // Errors Jetty answers itself (bad request line or URI, header section too large, an
        // ambiguous path...) get the API's JSON Error body too, at the server and in the context.
        context.setErrorHandler(new JsonErrorHandler());
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(context);
        server.setStopAtShutdown(false);

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(own);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
        return new CloudServer(server, connector);
    }

    /** The port listened on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** https://host:port/ for a client on this machine. */
    public URI localUri() {
        return URI.create("https://localhost:" + port() + "/");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the cloud's HTTP server did not stop: " + e, e);
        }
    }
}
