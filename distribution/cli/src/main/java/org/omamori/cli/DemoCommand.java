package org.omamori.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts an appliance (in run/demo: sample lists, the project's IPS rules, the project's clamd)",
                "and shows its verdicts on phishing, malware and C2 sites, attacks, and an EICAR download.",
                "It keeps running until Ctrl-C, unless --once is given."})
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

    /** The EICAR test file: harmless, and every antivirus knows it. */
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    static final List<String[]> DOWNLOADS = List.of(
            new String[] {"http://files.example/report.txt", "quarterly report, nothing to see", "普通のファイル / an ordinary file"},
            new String[] {"http://files.example/eicar.com", EICAR, "テスト用ウイルス / the EICAR test virus"});

    @Option(names = "--once", description = "Stop the appliance after showing the verdicts.")
    boolean once;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApplianceHome home = ApplianceHome.named("demo").prepare();
        home.configure("org.omamori.appliance", "adminPort=0\n");
        out.println("Omamori デモ / demo — アプライアンスを起動します / starting an appliance in " + home.dir());
        out.flush();
        long started = System.nanoTime();
        Process appliance = home.start(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(appliance)));
        AdminClient admin = new AdminClient(home);
        String engines = waitForUrlFilter(appliance, admin, Duration.ofSeconds(60));
        if (engines == null) {
            err.println("omamori demo: the appliance did not come up; see " + home.dir().resolve("appliance.log"));
            stop(appliance);
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
        out.println("ダウンロードの検査 / downloads scanned by the antivirus (ClamAV):");
        Table downloads = new Table().row("判定/verdict", "URL", "検知/finding", "説明/what it shows");
        for (String[] d : DOWNLOADS) {
            Merged merged = Merged.of(admin.post("/inspect?url=" + URLEncoder.encode(d[0], StandardCharsets.UTF_8),
                    d[1].getBytes(StandardCharsets.ISO_8859_1)));
            downloads.row(merged.shownAction(), d[0], merged.finding(), d[2]);
        }
        downloads.print(out);
        out.println();
        if (once) {
            stop(appliance);
            out.println("アプライアンスを停止しました / appliance stopped");
            return 0;
        }
        out.println("アプライアンスは動作中です。Ctrl-C で停止します / the appliance keeps running; Ctrl-C stops it.");
        out.println("  ./omamori engines --home " + home.dir() + "    エンジン一覧 / list engines");
        out.flush();
        return appliance.waitFor();
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

    private static void stop(Process appliance) {
        if (!appliance.isAlive()) {
            return;
        }
        appliance.destroy();
        try {
            if (!appliance.waitFor(20, TimeUnit.SECONDS)) {
                appliance.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
