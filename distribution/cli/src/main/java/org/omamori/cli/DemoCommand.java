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
        description = {"Starts an appliance with the sample lists (in run/demo) and shows how it judges a few URLs.",
                "It keeps running until Ctrl-C, unless --once is given."})
final class DemoCommand implements Callable<Integer> {

    /** What the demo asks the appliance about, and why each is interesting. */
    static final List<String[]> SAMPLES = List.of(
            new String[] {"http://login-bank.phish.test/account/verify", "フィッシングサイト / phishing site"},
            new String[] {"http://www.free-hosting.example/~bank-login/index.html", "無害なホスト上のフィッシングページ / phishing page on a harmless host"},
            new String[] {"http://dropper.malware.test/payload.exe", "マルウェア配布 / malware download"},
            new String[] {"http://beacon.c2.test/gate.php?id=42", "C&Cサーバへの通信 / command-and-control beacon"},
            new String[] {"http://198.51.100.23/update.bin", "IPアドレス直接指定 / IP literal"},
            new String[] {"http://www.ログイン銀行.test/", "国際化ドメイン名 / international domain name"},
            new String[] {"http://news.example/today", "ニュース: 記録のみ / news: logged only"},
            new String[] {"https://www.example.jp/", "該当なし / no category"});

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
        Table table = new Table().row("判定/verdict", "URL", "カテゴリ/category", "説明/what it shows");
        for (String[] sample : SAMPLES) {
            String tsv = admin.get("/inspect?url=" + URLEncoder.encode(sample[0], StandardCharsets.UTF_8));
            String[] merged = tsv.lines().skip(1).findFirst().orElse("").split("\t", -1);
            String action = merged.length > 2 ? merged[2] : "?";
            String category = merged.length > 4 && !merged[4].isEmpty() ? merged[4] : "-";
            table.row(action.equals("block") ? "BLOCK" : action, sample[0], category, sample[1]);
        }
        table.print(out);
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
                if (engines.lines().anyMatch(l -> l.startsWith("urlfilter\t"))) {
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
