package org.omamori.appliance.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.appliance.deploy.DeployStatus;
import org.omamori.appliance.install.EngineInstallation;
import org.omamori.appliance.install.InstallOutcome;
import org.omamori.appliance.install.Origin;
import org.omamori.appliance.install.RunningEngine;
import org.omamori.appliance.install.RunningEngines;
import org.omamori.appliance.install.UninstallOutcome;
import org.omamori.events.IpLiteral;
import org.omamori.metrics.HealthReport;
import org.omamori.metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's local admin endpoint: HTTP on 127.0.0.1 only, every request authenticated by
 * the bearer token in {@code <stateDirectory>/admin.token}; the port it listens on is written to
 * {@code <stateDirectory>/admin.port}.
 *
 * <pre>
 * GET    /engines                 the engines running now, tab-separated values
 * PUT    /engines                 body: an engine bundle jar; verified, then installed or updated
 * DELETE /engines/{symbolicName}  uninstalls an engine bundle
 * GET    /deploy                  the deploy folder: each jar and what became of it
 * GET    /inspect?url=URL[&client=IP&server=IP&ua=TEXT]
 *                                 what the pipeline decides on an HTTP GET of that URL, from that
 *                                 client to that server (IP literals; default loopback) with that User-Agent
 * POST   /inspect?url=...         the same, with the request body taken as the downloaded content
 * GET    /metrics                 every meter in the Prometheus text format (docs/metrics.md)
 * GET    /health                  each check with its state and reason, tab-separated; 503 when an essential one fails
 * </pre>
 */
public final class AdminEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);

    public static final String TOKEN_FILE = "admin.token";
    public static final String PORT_FILE = "admin.port";

    private static final String TSV = "text/tab-separated-values; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    private static final String USAGE = "endpoints: GET /engines, PUT /engines (body: the engine bundle jar),"
            + " DELETE /engines/{symbolicName}, GET /deploy, GET /inspect?url=URL, GET /metrics, GET /health";
    private static final int MAX_URL_LENGTH = 8192;

    /**
     * @param port            TCP port on 127.0.0.1; 0 picks a free one
     * @param stateDirectory  where the token and port files go
     * @param maxBundleBytes  the largest jar body accepted
     */
    public record Settings(int port, Path stateDirectory, long maxBundleBytes) {
        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("admin port must be 0-65535 (0 picks a free port): " + port);
            }
            Objects.requireNonNull(stateDirectory, "stateDirectory");
            if (maxBundleBytes <= 0) {
                throw new IllegalArgumentException("maxBundleBytes must be positive: " + maxBundleBytes);
            }
        }
    }

    private final Settings settings;
    private final EngineInstallation installation;
    private final RunningEngines engines;
    private final Supplier<DeployStatus> deployStatus;
    private volatile Pipeline pipeline;
    private volatile Meters meters;
    private volatile Supplier<HealthReport> health;
    private final AdminToken token;
    private final HttpServer server;
    private final ExecutorService executor;

    private AdminEndpoint(Settings settings, EngineInstallation installation, RunningEngines engines,
                          Supplier<DeployStatus> deployStatus, HttpServer server) {
        this.settings = settings;
        this.installation = installation;
        this.engines = engines;
        this.deployStatus = deployStatus;
        this.token = AdminToken.random();
        this.server = server;
        // Two threads: a slow upload does not lock the operator out of reading the status.
        this.executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("omamori-admin-", 0).daemon().factory());
    }

    /** Binds 127.0.0.1, writes a fresh token and the port to the state directory, and starts serving. */
    public static AdminEndpoint start(Settings settings, EngineInstallation installation, RunningEngines engines,
                                      Supplier<DeployStatus> deployStatus) throws IOException {
        Objects.requireNonNull(installation, "installation");
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(deployStatus, "deployStatus");
        createPrivateDirectory(settings.stateDirectory());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), settings.port()), 0);
        AdminEndpoint endpoint = new AdminEndpoint(settings, installation, engines, deployStatus, server);
        try {
            endpoint.token.writeTo(endpoint.tokenFile());
            Path portFile = settings.stateDirectory().resolve(PORT_FILE);
            Path temporary = settings.stateDirectory().resolve(PORT_FILE + ".tmp");
            Files.writeString(temporary, endpoint.port() + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            endpoint.executor.shutdownNow();
            throw e;
        }
        server.createContext("/", endpoint::serve);
        server.setExecutor(endpoint.executor);
        server.start();
        LOG.info("admin endpoint on http://127.0.0.1:{}/ (bearer token in {})", endpoint.port(), endpoint.tokenFile().toAbsolutePath());
        return endpoint;
    }

    /** Lets {@code GET /inspect} run requests through this pipeline; without one it answers 503. */
    public void inspectWith(Pipeline inspectionPipeline) {
        this.pipeline = inspectionPipeline;
    }

    /** Lets {@code GET /metrics} and {@code GET /health} serve these; without them they answer 503. */
    public void observeWith(Meters runtimeMeters, Supplier<HealthReport> runtimeHealth) {
        this.meters = Objects.requireNonNull(runtimeMeters, "runtimeMeters");
        this.health = Objects.requireNonNull(runtimeHealth, "runtimeHealth");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path tokenFile() {
        return settings.stateDirectory().resolve(TOKEN_FILE);
    }

    /** Stops serving and removes the token and port files: the token is worthless from now on. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(tokenFile());
            Files.deleteIfExists(settings.stateDirectory().resolve(PORT_FILE));
        } catch (IOException e) {
            LOG.warn("cannot remove the admin token or port file in {}: {}", settings.stateDirectory(), e.toString());
        }
    }

    private void serve(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        try (exchange) {
            if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"omamori-appliance\"");
                reply(exchange, 401, TEXT, "missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token from "
                        + tokenFile().toAbsolutePath());
                return;
            }
            route(exchange, method, path);
        } catch (IOException e) {
            LOG.warn("admin request {} {} broke off: {}", method, path, e.toString());
        } catch (RuntimeException e) {
            LOG.error("admin request {} {} failed", method, path, e);
            try {
                reply(exchange, 500, TEXT, "internal error: " + e);
            } catch (IOException ignored) {
                // the client is gone; the log has it
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/engines")) {
            switch (method) {
                case "GET" -> listEngines(exchange);
                case "PUT" -> upload(exchange);
                default -> notAllowed(exchange, "GET, PUT");
            }
        } else if (path.startsWith("/engines/")) {
            if (method.equals("DELETE")) {
                uninstall(exchange, path.substring("/engines/".length()));
            } else {
                notAllowed(exchange, "DELETE");
            }
        } else if (path.equals("/deploy")) {
            if (method.equals("GET")) {
                deployStatus(exchange);
            } else {
                notAllowed(exchange, "GET");
            }
        } else if (path.equals("/inspect")) {
            if (method.equals("GET") || method.equals("POST")) {
                inspect(exchange, method.equals("POST"));
            } else {
                notAllowed(exchange, "GET, POST");
            }
        } else if (path.equals("/metrics") || path.equals("/health")) {
            if (method.equals("GET")) {
                if (path.equals("/metrics")) {
                    metrics(exchange);
                } else {
                    health(exchange);
                }
            } else {
                notAllowed(exchange, "GET");
            }
        } else {
            reply(exchange, 404, TEXT, "no such endpoint: " + path + "; " + USAGE);
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        Meters current = meters;
        if (current == null) {
            reply(exchange, 503, TEXT, "metrics are not available yet");
            return;
        }
        reply(exchange, 200, Meters.CONTENT_TYPE, current.scrape());
    }

    private void health(HttpExchange exchange) throws IOException {
        Supplier<HealthReport> current = health;
        if (current == null) {
            reply(exchange, 503, TEXT, "health checks are not available yet");
            return;
        }
        HealthReport report = current.get();
        StringBuilder tsv = new StringBuilder("check\tstate\tessential\treason\n");
        report.checks().forEach((name, h) -> tsv.append(cell(name)).append('\t').append(h.healthy() ? "ok" : "degraded").append('\t')
                .append(report.essential().contains(name) ? "yes" : "no").append('\t').append(cell(h.reason())).append('\n'));
        reply(exchange, report.essentialOk() ? 200 : 503, TSV, tsv.toString());
    }

    private void inspect(HttpExchange exchange, boolean withDownload) throws IOException {
        Pipeline current = pipeline;
        if (current == null) {
            reply(exchange, 503, TEXT, "the inspection pipeline is not running");
            return;
        }
        String url = queryParameter(exchange.getRequestURI().getRawQuery(), "url");
        if (url == null || url.length() > MAX_URL_LENGTH
                || !(url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8))) {
            reply(exchange, 400, TEXT, "give an http:// or https:// URL of at most " + MAX_URL_LENGTH
                    + " characters as ?url=..., e.g. GET /inspect?url=http%3A%2F%2Fexample.jp%2F");
            return;
        }
        InspectionRequest.Builder request = InspectionRequest.http("GET", url);
        String client = queryParameter(exchange.getRequestURI().getRawQuery(), "client");
        String server = queryParameter(exchange.getRequestURI().getRawQuery(), "server");
        String userAgent = queryParameter(exchange.getRequestURI().getRawQuery(), "ua");
        try {
            if (client != null || server != null) {
                InetAddress loopback = InetAddress.getLoopbackAddress();
                boolean https = url.regionMatches(true, 0, "https://", 0, 8);
                request.connection(new Connection(ZonePair.LAN_TO_WAN, client == null ? loopback : ipLiteral(client), 50000,
                        server == null ? loopback : ipLiteral(server), https ? 443 : 80, Optional.empty()));
            }
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, TEXT, e.getMessage());
            return;
        }
        if (userAgent != null && userAgent.length() <= 1024) {
            request.header("User-Agent", userAgent);
        }
        PipelineResult result;
        if (!withDownload) {
            result = current.inspect(request.build());
        } else {
            try (StreamingInspection inspection = current.open(request.build()); InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                long received = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                    if (received > settings.maxBundleBytes()) {
                        tooLarge(exchange, "more than " + settings.maxBundleBytes() + " bytes");
                        return;
                    }
                    inspection.body(Direction.RESPONSE, ByteBuffer.wrap(buffer, 0, n));
                }
                result = inspection.endOfBody(Direction.RESPONSE);
            }
        }
        StringBuilder tsv = new StringBuilder("engine\toutcome\taction\trule\tname\tlevel\tnote\n");
        tsv.append(verdictLine("*", "merged", result.verdict()));
        for (EngineResult engine : result.results()) {
            tsv.append(verdictLine(engine.engine().id(), engine.outcome().name().toLowerCase(Locale.ROOT),
                    engine.verdict()));
        }
        reply(exchange, 200, TSV, tsv.toString());
    }

    private static String verdictLine(String engine, String outcome, Verdict verdict) {
        String rule = verdict.finding().map(Finding::ruleId).orElse("");
        String name = verdict.finding().map(Finding::ruleName).orElse("");
        String level = verdict.finding().map(f -> f.level().name().toLowerCase(Locale.ROOT)).orElse("");
        return cell(engine) + '\t' + outcome + '\t' + verdict.action().name().toLowerCase(Locale.ROOT) + '\t'
                + cell(rule) + '\t' + cell(name) + '\t' + level + '\t' + cell(verdict.note()) + '\n';
    }

    /** An IP address literal, never a name: resolving names here would let a request trigger DNS lookups. */
    static InetAddress ipLiteral(String text) {
        return IpLiteral.parse(text);
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private void listEngines(HttpExchange exchange) throws IOException {
        StringBuilder tsv = new StringBuilder("engine\tversion\tfunctions\tbundle\tbundle-version\n");
        engines.list().stream().sorted(Comparator.comparing(RunningEngine::id).thenComparing(RunningEngine::bundleSymbolicName))
                .forEach(e -> tsv.append(cell(e.id())).append('\t').append(cell(e.version())).append('\t')
                        .append(cell(String.join(",", e.functions()))).append('\t')
                        .append(cell(e.bundleSymbolicName())).append('\t').append(cell(e.bundleVersion())).append('\n'));
        reply(exchange, 200, TSV, tsv.toString());
    }

    private void deployStatus(HttpExchange exchange) throws IOException {
        DeployStatus status = deployStatus.get();
        StringBuilder tsv = new StringBuilder("file\tstate\tbundle\tversion\tdetail\n");
        for (DeployStatus.FileStatus file : status.files()) {
            tsv.append(cell(file.file())).append('\t').append(file.state().name().toLowerCase(Locale.ROOT)).append('\t')
                    .append(cell(file.bundle())).append('\t').append(cell(file.version())).append('\t')
                    .append(cell(file.detail())).append('\n');
        }
        reply(exchange, 200, TSV, tsv.toString());
    }

    private void upload(HttpExchange exchange) throws IOException {
        long max = settings.maxBundleBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                reply(exchange, 400, TEXT, "Content-Length is not a number: " + declared);
                return;
            }
            if (length > max) {
                tooLarge(exchange, length + " bytes");
                return;
            }
        }
        Path upload = Files.createTempFile(settings.stateDirectory(), "upload-", ".jar", ownerOnly());
        try {
            long received = 0;
            try (InputStream in = exchange.getRequestBody(); OutputStream out = Files.newOutputStream(upload)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                    if (received > max) {
                        tooLarge(exchange, "more than " + max + " bytes");
                        return;
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (received == 0) {
                reply(exchange, 400, TEXT, "empty body: send the engine bundle jar as the request body,"
                        + " e.g. curl -T engine.jar -H 'Authorization: Bearer ...' http://127.0.0.1:" + port() + "/engines");
                return;
            }
            InstallOutcome outcome = installation.install(upload, Origin.admin());
            int status = switch (outcome) {
                case InstallOutcome.Installed i -> 200;
                case InstallOutcome.Updated u -> 200;
                case InstallOutcome.Refused r -> 403;
                case InstallOutcome.Failed f -> 422;
            };
            LOG.info("admin upload of {} bytes: {}", received, outcome.summary());
            reply(exchange, status, TEXT, outcome.summary());
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private void uninstall(HttpExchange exchange, String symbolicName) throws IOException {
        if (!SYMBOLIC_NAME.matcher(symbolicName).matches()) {
            reply(exchange, 400, TEXT, "not a bundle symbolic name: '" + symbolicName
                    + "'; use letters, digits, '.', '-' and '_', e.g. DELETE /engines/org.omamori.engine.urlfilter");
            return;
        }
        UninstallOutcome outcome = installation.uninstall(symbolicName);
        int status = switch (outcome) {
            case UninstallOutcome.Uninstalled u -> 200;
            case UninstallOutcome.NotInstalled n -> 404;
            case UninstallOutcome.Forbidden f -> 403;
            case UninstallOutcome.Failed f -> 500;
        };
        LOG.info("admin uninstall of {}: {}", symbolicName, outcome.summary());
        reply(exchange, status, TEXT, outcome.summary());
    }

    private void tooLarge(HttpExchange exchange, String size) throws IOException {
        LOG.warn("admin upload refused: {} is over the limit of {} bytes", size, settings.maxBundleBytes());
        // The rest of the body is not read: close the connection rather than drain it.
        exchange.getResponseHeaders().set("Connection", "close");
        reply(exchange, 413, TEXT, "refused: the upload is " + size + ", over the limit of " + settings.maxBundleBytes()
                + " bytes (maxBundleBytes)");
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        URI uri = exchange.getRequestURI();
        reply(exchange, 405, TEXT, exchange.getRequestMethod() + " is not allowed on " + uri.getRawPath() + "; allowed: " + allowed);
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = (body.endsWith("\n") ? body : body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A TSV cell: tabs and line breaks would break the columns, so they become spaces. */
    private static String cell(String value) {
        return value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }
}
