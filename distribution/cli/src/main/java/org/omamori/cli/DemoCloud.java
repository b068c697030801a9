package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.events.ApplianceId;
import org.omamori.notify.Recipients;
import org.omamori.simulator.ApplianceSpec;
import org.omamori.simulator.Simulator;
import org.omamori.simulator.SimulatorSettings;
import org.omamori.simulator.TrafficProfile;
import org.omamori.store.CustomerId;
import org.omamori.store.QueuedMail;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.uplink.CloudTls;

/**
 * The demo's cloud: a cloud node on embedded H2 in run/demo-cloud with demo timers, two customers
 * with two simulated appliances each whose events come from the real engines, and one appliance
 * that goes silent. It waits until the outbox holds a ★★★ mail, a ★☆☆ mail and a stopped notice.
 */
final class DemoCloud implements AutoCloseable {

    /** Demo timers (docs/monitor.md): an alert batch waits 20 s, silence of 30 s is a stop, jobs every 5 s. */
    static final String MONITOR = "mailWindowSeconds=20\nsilenceSeconds=30\ncheckSeconds=5\n";
    static final Duration DEADLINE = Duration.ofMinutes(2);

    private static final String CUSTOMER_A = "株式会社みなと製作所";
    private static final String CUSTOMER_B = "有限会社さくら会計";
    private static final String CUSTOMER_C = "かえで工務店";
    private static final String CUSTOMER_D = "ひまわり商店";
    private static final String SILENT = "00a0de00b002";

    private final Path home;
    private final DemoPortal portal = new DemoPortal();
    private Process cloud;
    private Simulator simulator;

    DemoCloud(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    /** Starts the node and the simulated appliances; false (said on {@code err}) when the node does not come up. */
    boolean start(PrintWriter out, PrintWriter err) throws Exception {
        wipe(home);
        CloudCommand.prepareHome(home);
        Files.writeString(home.resolve("etc/org.omamori.cloud.api.cfg"), "host=127.0.0.1\nport=0\n");
        // The mails link to the demo's portal (docs/notify.md).
        Files.writeString(home.resolve("etc/org.omamori.monitor.cfg"), MONITOR + "portal=" + portal.url() + "\n");
        List<ApplianceSpec> appliances = register();
        cloud = new ProcessBuilder(RuntimeProcess.javaCommand(CloudCommand.cloudJar())).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("cloud.log").toFile()).start();
        Path portFile = home.resolve("state/cloud.port");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(portFile) && cloud.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!Files.exists(portFile)) {
            err.println("omamori demo: the cloud did not come up; see " + home.resolve("cloud.log"));
            return false;
        }
        int port = Integer.parseInt(Files.readString(portFile).trim());
        if (!healthy(port, deadline)) {
            err.println("omamori demo: the cloud did not report healthy; see " + home.resolve("cloud.log"));
            return false;
        }
        out.println("クラウド起動 / cloud up: https://127.0.0.1:" + port + "/ (log: " + home.resolve("cloud.log") + ")");
        simulator = Simulator.start(SimulatorSettings.of(URI.create("https://localhost:" + port + "/"),
                        Optional.of(home.resolve("tls/cloud.pem")), home.resolve("simulator"), appliances)
                .withPace(Duration.ofMillis(500), Duration.ofSeconds(20))
                .withHeartbeatEvery(Duration.ofSeconds(5))
                .withEngines(ApplianceHome.sampleLists(), ApplianceHome.projectRules(), ClamdAddress.LOCAL_DEFAULT));
        out.println("模擬アプライアンス / simulated appliances: " + CUSTOMER_A + " 2台 (C2通信を含む / with a C2 beacon), "
                + CUSTOMER_B + " 2台 (EICAR・フィッシング / EICAR, phishing), " + CUSTOMER_C + " 1台 (通常の通信 / ordinary browsing)");
        out.flush();
        return true;
    }

    /** Waits for GET /health to answer 200 (store and monitor up), so appliances are not turned away at first. */
    private boolean healthy(int port, long deadline) throws Exception {
        // The appliances' own client: TLS 1.3, the cloud's PEM trusted, its host name checked.
        try (HttpClient http = CloudTls.client(Optional.of(home.resolve("tls/cloud.pem")), Duration.ofSeconds(2))) {
            HttpRequest health = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            while (System.nanoTime() < deadline && cloud.isAlive()) {
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return true;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    /** Customers, recipients and appliances, written before the node opens the database. */
    private List<ApplianceSpec> register() throws IOException {
        List<ApplianceSpec> specs = new ArrayList<>();
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            // The demo's reseller sells the Niigata edition: mail, portal and contracts carry its brand and terms.
            ResellerId reseller = store.tenants().createReseller("デモ商工会議所", java.util.Optional.of("niigata"));
            CustomerId a = store.tenants().createCustomer(reseller, CUSTOMER_A);
            store.monitoring().recipients(a, Recipients.of("soumu@minato.example.jp", "it@minato.example.jp"));
            CustomerId b = store.tenants().createCustomer(reseller, CUSTOMER_B);
            store.monitoring().recipients(b, Recipients.of("info@sakura-kaikei.example.jp"));
            specs.add(spec(store, a, "00a0de00a001", "本社 1F", CUSTOMER_A, TrafficProfile.standard()));
            specs.add(spec(store, a, "00a0de00a002", "工場", CUSTOMER_A, TrafficProfile.browsingOnly()));
            specs.add(spec(store, b, "00a0de00b001", "事務所", CUSTOMER_B, TrafficProfile.withoutBeacon()));
            specs.add(spec(store, b, SILENT, "倉庫", CUSTOMER_B, TrafficProfile.browsingOnly()));
            // For the portal (docs/portal.md "Demo"): a customer whose one appliance sends only
            // harmless traffic, and one whose appliance is not registered yet.
            CustomerId c = store.tenants().createCustomer(reseller, CUSTOMER_C);
            store.monitoring().recipients(c, Recipients.of("office@kaede.example.jp"));
            specs.add(spec(store, c, "00a0de00c001", "事務所", CUSTOMER_C, TrafficProfile.browsingOnly()));
            CustomerId d = store.tenants().createCustomer(reseller, CUSTOMER_D);
            portal.createAccounts(store, reseller, a, c, d, b);
        }
        return specs;
    }

    private static ApplianceSpec spec(Store store, CustomerId customer, String id, String name, String customerName,
                                      TrafficProfile profile) {
        String code = store.tenants().registerAppliance(customer, new ApplianceId(id), name);
        return ApplianceSpec.of(id, customerName, code, profile);
    }

    /**
     * Silences one appliance after its first heartbeats, then waits until the outbox holds what the
     * demo promises; prints the outbox. False when the deadline passed first.
     */
    boolean showMonitoring(PrintWriter out) throws Exception {
        long started = System.nanoTime();
        Thread.sleep(8_000);
        simulator.appliance(SILENT).silence();
        out.println("アプライアンス " + SILENT + "（" + CUSTOMER_B + " 倉庫）の電源を抜きました / unplugged appliance " + SILENT);
        out.println("クラウドの判定とメールを待っています（最大2分）/ waiting for the cloud's grading and mail (at most 2 min)...");
        out.flush();
        List<QueuedMail> mails = List.of();
        boolean complete = false;
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            while (System.nanoTime() - started < DEADLINE.toNanos() + TimeUnit.SECONDS.toNanos(10)) {
                mails = store.monitoring().outbox(50);
                complete = has(mails, "★★★") && has(mails, "★☆☆") && has(mails, "【停止検知】");
                if (complete) {
                    break;
                }
                Thread.sleep(2_000);
            }
        }
        out.printf("%.0f 秒後の送信待ちメール / the outbox after %.0f s:%n", (System.nanoTime() - started) / 1e9,
                (System.nanoTime() - started) / 1e9);
        Table table = new Table().row("状態/state", "宛先/to", "件名/subject");
        mails.stream().sorted(Comparator.comparing(QueuedMail::created))
                .forEach(m -> table.row(m.state(), String.join(", ", m.mail().to().addresses()), m.mail().subject()));
        table.print(out);
        out.println("SMTP 未設定のためメールは送信されずに残ります。本文を見る / no SMTP configured, so the mails stay; read them:");
        out.println("  ./omamori cloud outbox --home " + home + " --full");
        out.flush();
        return complete;
    }

    private static boolean has(List<QueuedMail> mails, String mark) {
        return mails.stream().anyMatch(m -> m.mail().subject().contains(mark));
    }

    Process process() {
        return cloud;
    }

    /** Starts the portal on this cloud's database and prints its address and the demo accounts. */
    boolean startPortal(PrintWriter out, PrintWriter err) throws Exception {
        return portal.start(home, out, err);
    }

    @Override
    public void close() {
        portal.close();
        if (simulator != null) {
            simulator.close();
        }
        RuntimeProcess.stop(cloud);
    }

    /** Each demo starts from an empty cloud: new activation codes, an empty outbox. */
    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path defaultHome() {
        return ApplianceHome.root().resolve("run").resolve("demo-cloud");
    }
}
