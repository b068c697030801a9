package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance inline as a bridge (docs/operations.md "Bridge mode"), built with network
 * namespaces on this machine: a client namespace with no proxy setting, a bridge namespace where
 * scripts/bridge.sh bridges the client's side to the router's and the real appliance runs with its
 * clamd, and a
 * router namespace with a web server (the JDK's), a TLS server (openssl) and a resolver (dnsmasq).
 * The client talks to the router; HTTP, HTTPS and DNS reach the appliance's transparent listeners
 * through the nftables rules. Then the appliance is killed (SIGKILL) and the pilot's failure
 * policy, open, lets the client reach the router untouched; 'down' removes what 'up' added.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeModeTest {

    static final Path ROOT = Path.of(System.getProperty("omamori.root")).toAbsolutePath().normalize();
    static final Path BRIDGE_SH = ROOT.resolve("scripts/bridge.sh");
    static final String ROUTER = "10.77.0.1";
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String PAGE = "origin page 7f3c";

    // Short, unique names: two test runs on one machine must not meet.
    static final String SUFFIX = Long.toString(ProcessHandle.current().pid() % 100000);
    static final String CLIENT = "omc" + SUFFIX;
    static final String BRIDGE = "omb" + SUFFIX;
    static final String ROUTER_NS = "omr" + SUFFIX;

    @TempDir
    static Path dir;

    static final List<Process> servers = new ArrayList<>();
    static RunningAppliance appliance;
    static Path bridgeConf;
    static boolean namespacesMade;

    @BeforeAll
    static void network() throws Exception {
        assumeNamespaces();
        namespacesMade = true;
        for (String ns : List.of(CLIENT, BRIDGE, ROUTER_NS)) {
            sh("ip", "netns", "add", ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
            // Names resolve through the router's resolver in the client and the bridge (ip netns exec mounts these).
            Files.createDirectories(Path.of("/etc/netns", ns));
            Files.writeString(Path.of("/etc/netns", ns, "resolv.conf"), "nameserver " + ROUTER + "\n");
        }
        // client c0 <-> lan0 [bridge br0] wan0 <-> r0 router; one subnet, as on a small office's LAN.
        sh("ip", "link", "add", "c0", "netns", CLIENT, "type", "veth", "peer", "name", "lan0", "netns", BRIDGE);
        sh("ip", "link", "add", "r0", "netns", ROUTER_NS, "type", "veth", "peer", "name", "wan0", "netns", BRIDGE);
        sh("ip", "-n", CLIENT, "addr", "add", "10.77.0.10/24", "dev", "c0");
        sh("ip", "-n", CLIENT, "link", "set", "c0", "up");
        sh("ip", "-n", CLIENT, "route", "add", "default", "via", ROUTER);
        sh("ip", "-n", ROUTER_NS, "addr", "add", ROUTER + "/24", "dev", "r0");
        sh("ip", "-n", ROUTER_NS, "link", "set", "r0", "up");

        // The router: a web server, a TLS server, a resolver answering every *.test name with itself.
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<html>" + PAGE + "</html>\n");
        Files.writeString(www.resolve("eicar.com"), EICAR);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server("origin", ROUTER_NS, java, "-m", "jdk.httpserver", "-b", ROUTER, "-p", "80", "-d", www.toString(), "-o", "verbose");
        server("dnsmasq", ROUTER_NS, "dnsmasq", "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
                "--listen-address=" + ROUTER, "--address=/test/" + ROUTER, "--user=root", "--pid-file=");
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                "/CN=origin.test", "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.pem").toString());
        server("tls", ROUTER_NS, "openssl", "s_server", "-quiet", "-www", "-accept", ROUTER + ":443", "-cert",
                dir.resolve("tls.pem").toString(), "-key", dir.resolve("tls.key").toString());

        bridgeConf = dir.resolve("bridge.conf");
        Files.writeString(bridgeConf, """
                # the itest's bridge: the client's side is zone lan
                bridge = br0
                wan = wan0
                zone.lan = lan0
                address = 10.77.0.2/24
                gateway = %s
                failure = open
                """.formatted(ROUTER));
        assertThat(bridge("up", bridgeConf).exit).isZero();

        // The appliance in the bridge namespace: transparent listeners on the ports clients ask for.
        // Its own clamd in the bridge namespace, on a port of that namespace's loopback: other
        // checkouts' clamd.sh (which may replace an Omamori clamd on 3399) never meet it.
        if (!Files.isExecutable(Path.of("/usr/sbin/clamd"))) {
            RunningAppliance.startClamd(); // installs it (the bridge namespace has no way to the package mirror)
        }
        Result clamd = clamd("start");
        assertThat(clamd.exit).as("scripts/clamd.sh start in the bridge namespace: %s", clamd.err).isZero();
        appliance = new RunningAppliance(dir.resolve("home"));
        appliance.configure("org.omamori.proxy", "listeners = http@0.0.0.0:80/lan, tls@0.0.0.0:443/lan\n");
        appliance.configure("org.omamori.dns", "listen = lan=0.0.0.0:53\nupstreams = " + ROUTER + "\n");
        appliance.configure("org.omamori.engine.av", "clamdPort = " + CLAMD_PORT + "\n");
        appliance.wrapper = List.of("ip", "netns", "exec", BRIDGE);
        appliance.launch();
        // In force once the listed site gets the block page and EICAR the notice through the bridge.
        await("the block page through the bridge", () -> curl("-i", "--resolve", "login-bank.phish.test:80:" + ROUTER,
                "http://login-bank.phish.test/").out.startsWith("HTTP/1.1 403"));
        await("the antivirus through the bridge", () -> curl("http://origin.test/eicar.com").out.contains("無害化"));
    }

    @Test
    @Order(1)
    void aClientWithNoProxySettingGetsTheBlockPageForAListedSite() throws Exception {
        Result page = curl("-i", "--resolve", "login-bank.phish.test:80:" + ROUTER, "http://login-bank.phish.test/signin");
        assertThat(page.out).startsWith("HTTP/1.1 403").contains("このページへのアクセスはブロックされました").contains("login-bank.phish.test");
        assertThat(originLog()).doesNotContain("GET /signin");
    }

    @Test
    @Order(2)
    void ordinaryPagesComeThroughTheApplianceAndInfectedDownloadsAreNeutralised() throws Exception {
        Result page = curl("-i", "http://origin.test/index.html");
        assertThat(page.out).startsWith("HTTP/1.1 200").contains(PAGE);
        assertThat(lastRequest()).as("the origin saw the appliance's request").startsWith("10.77.0.2 ").contains("Via: 1.1 omamori");
        Result notice = curl("-i", "http://origin.test/eicar.com");
        assertThat(notice.out).startsWith("HTTP/1.1 200").contains("無害化").doesNotContain("EICAR-STANDARD");
    }

    @Test
    @Order(3)
    void aBlockedSniGetsATlsAlertAndAnAllowedOneReachesTheServer() throws Exception {
        Result blocked = curl("-k", "--resolve", "login-bank.phish.test:443:" + ROUTER, "https://login-bank.phish.test/");
        assertThat(blocked.exit).as(blocked.err).isEqualTo(35); // curl: TLS handshake failed
        assertThat(blocked.err).containsIgnoringCase("access denied");
        Result allowed = curl("-k", "https://origin.test/");
        assertThat(allowed.exit).as(allowed.err).isZero();
        assertThat(allowed.out).contains("s_server");
    }

    @Test
    @Order(4)
    void dnsAnswersAreFilteredForTheClientsOwnResolver() throws Exception {
        assertThat(in(CLIENT, "getent", "ahostsv4", "login-bank.phish.test").out).startsWith("0.0.0.0");
        assertThat(in(CLIENT, "getent", "ahostsv4", "origin.test").out).startsWith(ROUTER);
    }

    @Test
    @Order(5)
    void statusSaysWhatWasAddedAndThatTheListenersAreThere() throws Exception {
        Result status = bridge("status", bridgeConf);
        assertThat(status.exit).as(status.err).isZero();
        assertThat(status.out).contains("link-add br0", "enslave lan0", "nft-table bridge omamori_br0")
                .contains("zone lan: listener on 80/tcp is there").contains("zone lan: listener on 53/udp is there");
    }

    @Test
    @Order(6)
    void killedApplianceFailsOpenTheClientReachesTheRouterUntouched() throws Exception {
        long started = System.nanoTime();
        appliance.kill();
        Result page = curl("-i", "--resolve", "login-bank.phish.test:80:" + ROUTER, "http://login-bank.phish.test/index.html");
        assertThat(page.out).as(page.err).startsWith("HTTP/1.1 200").contains(PAGE);
        assertThat(lastRequest()).as("straight from the client, not through the appliance").startsWith("10.77.0.10 ")
                .doesNotContain("Via: 1.1 omamori");
        assertThat(in(CLIENT, "getent", "ahostsv4", "login-bank.phish.test").out).as("the router's resolver answers").startsWith(ROUTER);
        Result tls = curl("-k", "--resolve", "login-bank.phish.test:443:" + ROUTER, "https://login-bank.phish.test/");
        assertThat(tls.exit).as(tls.err).isZero();
        System.out.printf("fail-open: web, DNS and TLS reached the router %d ms after SIGKILL%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Test
    @Order(7)
    void failureClosedRefusesWhileTheApplianceIsDownAndDownRemovesWhatUpAdded() throws Exception {
        assertThat(bridge("down", bridgeConf).exit).isZero();
        assertThat(in(BRIDGE, "nft", "list", "tables").out).doesNotContain("omamori");
        assertThat(in(BRIDGE, "ip", "link", "show", "br0").exit).as("the bridge is gone").isNotZero();
        assertThat(in(BRIDGE, "sysctl", "-n", "net.ipv4.ip_forward").out.trim()).as("forwarding as it was").isEqualTo("0");

        Path closed = dir.resolve("closed.conf");
        Files.writeString(closed, Files.readString(bridgeConf).replace("failure = open", "failure = closed"));
        assertThat(bridge("up", closed).exit).isZero();
        try {
            Result page = curl("--resolve", "origin.test:80:" + ROUTER, "http://origin.test/index.html");
            assertThat(page.exit).as("connection refused: %s", page.err).isEqualTo(7);
            assertThat(in(CLIENT, "getent", "ahostsv4", "origin.test").exit).as("no DNS answer either").isNotZero();
        } finally {
            assertThat(bridge("down", closed).exit).isZero();
        }
        assertThat(bridge("status", closed).exit).as("not up").isEqualTo(4);
    }

    @Test
    @Order(8)
    void upRefusesMissingInterfacesAndChangesNothing() throws Exception {
        Path wrong = dir.resolve("wrong.conf");
        Files.writeString(wrong, Files.readString(bridgeConf).replace("wan = wan0", "wan = nosuch0"));
        Result up = bridge("up", wrong);
        assertThat(up.exit).isEqualTo(3);
        assertThat(up.err).contains("interface 'nosuch0' does not exist");
        assertThat(in(BRIDGE, "ip", "link", "show", "br0").exit).isNotZero();
        assertThat(in(BRIDGE, "nft", "list", "tables").out).doesNotContain("omamori");
    }

    @AfterAll
    static void teardown() throws Exception {
        if (appliance != null) {
            if (appliance.process != null && appliance.process.isAlive()) {
                appliance.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            System.out.println("appliance log ends:\n" + tail(appliance.logQuietly(), 3000));
        }
        if (namespacesMade) {
            clamd("stop");
        }
        for (Process p : servers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (namespacesMade) {
            for (String ns : List.of(CLIENT, BRIDGE, ROUTER_NS)) {
                run(List.of("ip", "netns", "del", ns));
                Files.deleteIfExists(Path.of("/etc/netns", ns, "resolv.conf"));
                Files.deleteIfExists(Path.of("/etc/netns", ns));
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Skips (with the reason) only where network namespaces cannot be made: not root, or no kernel support. */
    private static void assumeNamespaces() throws Exception {
        Result id = run(List.of("id", "-u"));
        assumeTrue(id.out.trim().equals("0"), "bridge-mode itest skipped: needs root for network namespaces (id -u = " + id.out.trim() + ")");
        Result tools = run(List.of("bash", ROOT.resolve("scripts/netns-tools.sh").toString(), "install"));
        assertThat(tools.exit).as("scripts/netns-tools.sh install: %s", tools.err).isZero();
        String probe = "omp" + SUFFIX;
        Result add = run(List.of("ip", "netns", "add", probe));
        run(List.of("ip", "netns", "del", probe));
        assumeTrue(add.exit == 0, "bridge-mode itest skipped: network namespaces are not possible here: " + add.err.trim());
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(List<String> cmd) throws Exception {
        return run(cmd, 30);
    }

    static Result run(List<String> cmd, int seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in " + seconds + " s: " + cmd);
        }
        return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static void sh(String... cmd) throws Exception {
        Result r = run(List.of(cmd));
        assertThat(r.exit).as("%s: %s", String.join(" ", cmd), r.err).isZero();
    }

    static Result in(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(full);
    }

    /** curl from the client namespace, no proxy setting, 10 s at most. */
    static Result curl(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", CLIENT, "curl", "-sS", "--noproxy", "*", "-m", "10"));
        full.addAll(List.of(args));
        return run(full);
    }

    static final String CLAMD_PORT = "3398";

    static Result clamd(String action) throws Exception {
        return run(List.of("ip", "netns", "exec", BRIDGE, "env", "OMAMORI_CLAMD_DIR=" + dir.resolve("clamd"), "OMAMORI_CLAMD_PORT=" + CLAMD_PORT,
                "bash", ROOT.resolve("scripts/clamd.sh").toString(), action), 120);
    }

    static Result bridge(String action, Path conf) throws Exception {
        return run(List.of("ip", "netns", "exec", BRIDGE, "env", "OMAMORI_BRIDGE_STATE_DIR=" + dir.resolve("state"), "bash",
                BRIDGE_SH.toString(), action, conf.toString()));
    }

    static void server(String name, String ns, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        servers.add(new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    static String originLog() throws IOException {
        return Files.readString(dir.resolve("origin.log"));
    }

    /** The origin's verbose log from the last request on. */
    static String lastRequest() throws IOException {
        String log = originLog();
        int at = log.lastIndexOf("\"GET /");
        return at < 0 ? "" : log.substring(log.lastIndexOf('\n', at) + 1);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(appliance.process.isAlive()).as("appliance running; log:%n%s", appliance.logQuietly()).isTrue();
            if (check.ok()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " did not come within 60 s; appliance log:\n" + tail(appliance.logQuietly(), 6000));
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

}
