package org.omamori.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Pem;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts an appliance (in run/demo: sample lists, the project's IPS rules, the project's clamd)",
                "and shows its verdicts on phishing, malware and C2 sites and attacks, then real traffic: downloads",
                "through its web proxy (an EICAR file is neutralised), HTTPS decided by SNI, DNS queries to its DNS",
                "filter, and a signed definitions package put in force without a restart. Then a cloud node (run/demo-cloud,",
                "embedded H2) with five simulated appliances of three customers whose events come from the real engines:",
                "within two minutes its outbox holds a ★★★ mail, a ★☆☆ mail and a stopped notice for the appliance that",
                "goes silent. Last the web portal on that cloud (http://localhost:8080/, another port when 8080 is taken)",
                "with its demo accounts printed. It keeps running until Ctrl-C, unless --once is given. Exit code 1: a part did not come up",
                "or the mails did not come in time (the message says which)."})
final class DemoCommand implements Callable<Integer> {

    /** A request the demo asks the appliance about, and what it shows. */
    record Sample(String url, String client, String server, String userAgent, String shows) {
        Sample(String url, String shows) {
            this(url, null, null, null, shows);
        }

        String query() {
            StringBuilder q = new StringBuilder("/inspect?url=").append(URLEncoder.encode(url, StandardCharsets.UTF_8));
            if (client != null) {
                q.append("&client=").append(client).append("&server=").append(server);
            }
            if (userAgent != null) {
                q.append("&ua=").append(URLEncoder.encode(userAgent, StandardCharsets.UTF_8));
            }
            return q.toString();
        }
    }

    /** The merged verdict line of the admin endpoint's /inspect answer. */
    record Merged(String action, String finding) {
        static Merged of(String tsv) {
            String[] cells = tsv.lines().skip(1).findFirst().orElse("").split("\t", -1);
            return new Merged(cells.length > 2 ? cells[2] : "?", cells.length > 4 && !cells[4].isEmpty() ? cells[4] : "-");
        }

        /** What stops or changes the traffic in capitals, so it stands out in the table. */
        String shownAction() {
            return action.equals("pass") || action.equals("?") ? action : action.toUpperCase(java.util.Locale.ROOT);
        }
    }

    static final String OFFICE_PC = "192.168.1.10";
    static final String OFFICE_SERVER = "192.168.1.20";
    static final String INTERNET_HOST = "203.0.113.7";

    static final List<Sample> SAMPLES = List.of(
            new Sample("http://login-bank.phish.test/account/verify", "フィッシングサイト / phishing site"),
            new Sample("http://www.free-hosting.example/~bank-login/index.html", "無害なホスト上のフィッシングページ / phishing page on a harmless host"),
            new Sample("http://dropper.malware.test/payload.exe", "マルウェア配布 / malware download"),
            new Sample("http://beacon.c2.test/gate.php?id=42", "C&Cサーバへの通信 / command-and-control beacon"),
            new Sample("http://198.51.100.23/update.bin", "IPアドレス直接指定 / IP literal"),
            new Sample("http://www.ログイン銀行.test/", "国際化ドメイン名 / international domain name"),
            new Sample("http://news.example/today", "ニュース: 記録のみ / news: logged only"),
            new Sample("https://www.example.jp/", "該当なし / no category"),
            new Sample("http://" + OFFICE_SERVER + "/item.php?id=1%20UNION%20SELECT%20password%20FROM%20users", INTERNET_HOST,
                    OFFICE_SERVER, "Mozilla/5.0", "IPS: 社内サーバへのSQLインジェクション / SQL injection against an office server"),
            new Sample("http://" + OFFICE_SERVER + "/", INTERNET_HOST, OFFICE_SERVER, "sqlmap/1.8",
                    "IPS: 攻撃ツール / attack tool"),
            new Sample("http://198.51.100.5/gate.php?id=7", OFFICE_PC, "198.51.100.5", "bot/2.0",
                    "IPS: 感染PCのC&C通信 / infected PC checking in"));

    @Option(names = "--once", description = "Stop the appliance and the cloud after showing what they did.")
    boolean once;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApplianceHome home = ApplianceHome.named("demo").prepare();
        home.configure("org.omamori.appliance", "adminPort=0\n");
        int proxyPort = DemoTraffic.freePort();
        int dnsPort = DemoTraffic.freePort();
        home.configure("org.omamori.proxy", "listeners=explicit@127.0.0.1:" + proxyPort + "/lan\nallowedNetworks="
                + DemoTraffic.ORIGIN_NETWORK + "\n");
        home.configure("org.omamori.dns", "listen=lan=127.0.0.1:" + dnsPort + "\n");
        home.configure("org.omamori.definitions", "dropScanSeconds=1\nclamdDatabase=" + ApplianceHome.root().resolve("run/clamd/db") + "\n");
        // clamd's local socket, where scripts/clamd.sh made one (not under a folder too deep for a socket's
        // path): downloads then reach clamd by FILDES (engines/av-clamav/README.md); else TCP as configured.
        java.nio.file.Path clamdSocket = ApplianceHome.root().resolve("run/clamd/clamd.sock");
        if (java.nio.file.Files.exists(clamdSocket)) {
            home.configure("org.omamori.engine.av", "clamdSocket=" + clamdSocket + "\n");
        }
        out.println("Omamori デモ / demo — アプライアンスを起動します / starting an appliance in " + home.dir());
        out.flush();
        long started = System.nanoTime();
        Process appliance = home.startLogged();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RuntimeProcess.stop(appliance)));
        AdminClient admin = new AdminClient(home);
        String engines = waitForUrlFilter(appliance, admin, Duration.ofSeconds(60));
        if (engines == null) {
            err.println("omamori demo: the appliance did not come up; see " + home.dir().resolve("appliance.log"));
            RuntimeProcess.stop(appliance);
            return 1;
        }
        out.printf("起動完了 / ready in %.1f s (log: %s)%n%n", (System.nanoTime() - started) / 1e9, home.dir().resolve("appliance.log"));
        out.println("稼働中のエンジン / engines running:");
        EnginesCommand.print(engines, out);
        out.println();
        out.println("URLの判定 / URL verdicts:");
        Table table = new Table().row("判定/verdict", "URL", "検知/finding", "説明/what it shows");
        for (Sample sample : SAMPLES) {
            Merged merged = Merged.of(admin.get(sample.query()));
            String url = sample.url().length() > 60 ? sample.url().substring(0, 57) + "..." : sample.url();
            table.row(merged.shownAction(), url, merged.finding(), sample.shows());
        }
        table.print(out);
        out.println();
        try (DemoTraffic traffic = new DemoTraffic()) {
            showLiveTraffic(out, traffic, proxyPort, dnsPort);
        }
        showDefinitionsUpdate(out, home, admin);
        out.println("イベント / events: " + home.state().resolve("spool")
                + " に保存されています（このアプライアンスはクラウド未設定）/ kept in the spool (this appliance has no cloud)");
        out.println();
        out.println("クラウド監視 / cloud monitoring:");
        DemoCloud cloud = new DemoCloud(DemoCloud.defaultHome());
        Runtime.getRuntime().addShutdownHook(new Thread(cloud::close));
        if (!cloud.start(out, err)) {
            cloud.close();
            RuntimeProcess.stop(appliance);
            return 1;
        }
        boolean mailed = cloud.showMonitoring(out);
        out.println();
        boolean portal = cloud.startPortal(out, err);
        out.println();
        mailed = mailed && portal;
        if (!mailed) {
            err.println(portal ? "omamori demo: the outbox did not hold a ★★★ mail, a ★☆☆ mail and a stopped notice within "
                    + DemoCloud.DEADLINE.toMinutes() + " minutes; see " + cloud.home().resolve("cloud.log")
                    : "omamori demo: the portal did not come up");
        }
        if (once || !mailed) {
            cloud.close();
            RuntimeProcess.stop(appliance);
            out.println("アプライアンス・クラウド・ポータルを停止しました / appliance, cloud and portal stopped");
            return mailed ? 0 : 1;
        }
        out.println("アプライアンスとクラウドは動作中です。Ctrl-C で停止します / the appliance and the cloud keep running; Ctrl-C stops them.");
        out.println("  curl -x http://127.0.0.1:" + proxyPort + " http://login-bank.phish.test/    Webプロキシ / web proxy");
        out.println("  dig @127.0.0.1 -p " + dnsPort + " login-bank.phish.test    DNSフィルタ / DNS filter");
        out.println("  ./omamori engines --home " + home.dir() + "    エンジン一覧 / list engines");
        out.println("  ./omamori cloud outbox --home " + cloud.home() + " --full    クラウドのメール / the cloud's mails");
        out.flush();
        return appliance.waitFor();
    }

    /** Downloads through the web proxy, HTTPS decided by SNI, DNS queries to the DNS filter: real traffic, real engines. */
    private static void showLiveTraffic(PrintWriter out, DemoTraffic traffic, int proxyPort, int dnsPort) throws Exception {
        out.println("Webプロキシ経由のダウンロード / downloads through the web proxy (antivirus: ClamAV):");
        Table downloads = new Table().row("結果/result", "URL", "利用者が受け取るもの/what the user gets");
        for (String[] d : List.of(new String[] {"report.txt", "普通のファイル / an ordinary file"},
                new String[] {"eicar.com", "テスト用ウイルス / the EICAR test virus"})) {
            String url = traffic.fileUrl(d[0]);
            String[] answer = DemoTraffic.download(proxyPort, url);
            boolean neutralised = answer[1].contains("無害化");
            downloads.row(neutralised ? "NEUTRALISED" : answer[0].contains(" 200 ") ? "pass" : answer[0], d[0] + " (" + d[1] + ")",
                    neutralised ? answer[1].lines().findFirst().orElse("") : answer[1].strip());
        }
        downloads.print(out);
        out.println();
        out.println("HTTPS（復号なし、SNIで判定）/ HTTPS, decided by the SNI without decryption:");
        Table tls = new Table().row("結果/result", "SNI", "説明/what it shows");
        tls.row(DemoTraffic.tlsRefused(proxyPort, "beacon.c2.test") ? "BLOCKED (TLS alert)" : "pass", "beacon.c2.test",
                "C&Cサーバ / command-and-control server");
        tls.print(out);
        out.println();
        out.println("DNSフィルタ / DNS filter:");
        Table dns = new Table().row("回答/answer", "名前/name", "説明/what it shows");
        dns.row(DemoTraffic.resolve(dnsPort, "login-bank.phish.test") + " (blocked)", "login-bank.phish.test", "フィッシング / phishing");
        dns.row(DemoTraffic.resolve(dnsPort, "cc.botnet.invalid") + " (blocked)", "cc.botnet.invalid", "C&C / command and control");
        dns.print(out);
        out.println();
    }

    /** A signed URL-list package with one new phishing domain, dropped into the appliance: in force without a restart. */
    private static void showDefinitionsUpdate(PrintWriter out, ApplianceHome home, AdminClient admin) throws Exception {
        String domain = "new-phish-" + Long.toString(System.currentTimeMillis() / 1000, 36) + ".demo.test"; // new every run
        Path source = Files.createTempDirectory("omamori-demo-lists");
        ApplianceHome.copyTree(home.lists(), source);
        Files.writeString(source.resolve("phishing/domains"), domain + "\n", StandardOpenOption.APPEND);
        // Versions must grow: the year, then the seconds since it began (no leading zeros).
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        String version = now.getYear() + "." + (1 + now.toEpochSecond() - now.withDayOfYear(1).toLocalDate().atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond());
        String query = "/inspect?url=" + URLEncoder.encode("http://" + domain + "/", StandardCharsets.UTF_8);
        String before = Merged.of(admin.get(query)).shownAction();
        long started = System.nanoTime();
        MakeDefinitions.write(home.dir().resolve("definitions/incoming/urlfilter-" + version + ".zip"),
                PackageWriter.make(Kind.URLFILTER, PackageVersion.parse(version), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        source, Pem.readPrivate(home.operatorPrivateKey())));
        String after = before;
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30) && !after.equals("BLOCK")) {
            Thread.sleep(200);
            after = Merged.of(admin.get(query)).shownAction();
        }
        out.printf("定義ファイルの更新 / definitions update: 署名付きパッケージ urlfilter %s（%s を追加）/ a signed package adding %s: %s -> %s in %.1f s%n%n",
                version, domain, domain, before, after, (System.nanoTime() - started) / 1e9);
    }

    private static String waitForUrlFilter(Process appliance, AdminClient admin, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && appliance.isAlive()) {
            try {
                String engines = admin.get("/engines");
                if (engines.lines().anyMatch(l -> l.startsWith("urlfilter\t")) && engines.lines().anyMatch(l -> l.startsWith("ips\t"))) {
                    return engines;
                }
            } catch (AdminClient.Unavailable notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        return null;
    }


}
