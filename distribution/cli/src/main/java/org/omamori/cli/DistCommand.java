package org.omamori.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.omamori.api.edition.Edition;
import org.omamori.definitions.MakeDefinitions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./omamori dist --edition E}: what a reseller deploys, as three archives (docs/distribution.md). */
@Command(name = "dist", mixinStandardHelpOptions = true,
        description = {"Builds what a reseller deploys for edition E: the appliance, cloud and portal archives (tar.gz), each with",
                "a Japanese README, VERSION and SHA256SUMS, the appliance's pages in the edition's brand and the operator's",
                "definitions key; each starts with only a JDK (docs/distribution.md). Prints the archives and their SHA-256.",
                "Exit codes: 0 done, 1 the runtimes are not built or writing failed, 2 bad usage (unknown edition)."})
final class DistCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--edition", required = true, paramLabel = "E", description = "The edition (./omamori editions), or default.")
    String editionId;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the archives go (default: run/dist/E in the checkout).")
    Path out;

    @Option(names = "--operator-key", paramLabel = "PEM", description = "The operator's public Ed25519 key that signs definitions "
            + "packages (default: run/dist/operator/operator-ed25519.pem, made on first use; its private key stays beside it).")
    Path operatorKey;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Edition edition;
        try {
            edition = CliEditions.edition(editionId);
        } catch (IllegalArgumentException e) {
            err.println("omamori dist: " + e.getMessage());
            return 2;
        }
        Path root = ApplianceHome.root();
        Path appliance = root.resolve("distribution/appliance/target/appliance");
        Path cloud = root.resolve("distribution/cloud/target/cloud");
        Path portal = root.resolve("portal-vaadin/target");
        for (Path p : List.of(appliance.resolve("omamori-appliance.jar"), cloud.resolve("omamori-cloud.jar"), portal.resolve("omamori-portal.jar"))) {
            if (!Files.isRegularFile(p)) {
                err.println("omamori dist: " + p + " is missing; build with ./mvnw install -DskipTests");
                return 1;
            }
        }
        try {
            Path dir = (out == null ? root.resolve("run/dist").resolve(edition.id()) : out).toAbsolutePath();
            Path key = operatorKey == null ? localOperatorKey(root.resolve("run/dist/operator")) : operatorKey;
            if (!Files.isRegularFile(key)) {
                err.println("omamori dist: --operator-key " + key + " is not a file");
                return 2;
            }
            String version = version(cloud.resolve("bundles"));
            Files.createDirectories(dir);
            Distribution d = new Distribution(edition, version, key, root);
            List<Path> archives = List.of(
                    d.appliance(appliance, dir),
                    d.cloud(cloud, dir),
                    d.portal(portal, dir));
            StringBuilder sums = new StringBuilder();
            PrintWriter o = spec.commandLine().getOut();
            for (Path a : archives) {
                String sha = sha256(a);
                sums.append(sha).append("  ").append(a.getFileName()).append('\n');
                o.println(sha + "  " + a);
            }
            Files.writeString(dir.resolve("SHA256SUMS"), sums.toString());
            o.flush();
            return 0;
        } catch (IOException e) {
            err.println("omamori dist: " + e.getMessage());
            return 1;
        }
    }

    /** A local operator key pair (the private key never goes into an archive); its public key. */
    static Path localOperatorKey(Path dir) throws IOException {
        Path pub = dir.resolve("operator-ed25519.pem");
        if (!Files.exists(pub)) {
            Files.createDirectories(dir);
            MakeDefinitions.keygen(dir.resolve("operator-ed25519.key"), pub);
        }
        return pub;
    }

    /** The platform's version: the API bundle's, as the runtime's bundle folder names it. */
    static String version(Path bundles) throws IOException {
        try (Stream<Path> s = Files.list(bundles)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("org.omamori.api-") && n.endsWith(".jar"))
                    .map(n -> n.substring("org.omamori.api-".length(), n.length() - ".jar".length())).findFirst()
                    .orElseThrow(() -> new IOException("no org.omamori.api bundle in " + bundles));
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The three archives of one edition and version. */
    record Distribution(Edition edition, String version, Path operatorKey, Path root) {

        String name(String part) {
            return "omamori-" + part + "-" + edition.id() + "-" + version;
        }

        Path appliance(Path runtime, Path dir) throws IOException {
            Path stage = stage(dir, "appliance");
            ApplianceHome.copyTree(runtime, stage);
            ApplianceHome.copyTree(ApplianceHome.sampleLists(), stage.resolve("lists"));
            ApplianceHome.copyTree(ApplianceHome.projectRules(), stage.resolve("rules"));
            Files.createDirectories(stage.resolve("deploy"));
            Files.createDirectories(stage.resolve("trust"));
            Files.createDirectories(stage.resolve("keys"));
            Files.copy(operatorKey, stage.resolve("keys/operator-ed25519.pem"));
            var b = edition.brand();
            var desk = edition.terms().desk();
            cfg(stage, "org.omamori.proxy", """
                    # The block page and the neutralisation notice in the edition's brand (docs/web-proxy.md).
                    brandName = %s / %s
                    brandContact = %s %s（%s） / %s
                    brandColour = %s
                    """.formatted(b.service().ja(), b.service().en(), desk.name().ja(), desk.phone(), desk.hoursJa(), desk.name().en(),
                    b.colours().primary()));
            return finish(stage, dir, "appliance", """
                    UTM装置（アプライアンス）のランタイムです。お客様の拠点のインターネット境界に設置する機器で動かします。

                    ## 起動
                    JDK 21 以降があれば、このフォルダで次を実行します。

                        MALLOC_ARENA_MAX=2 java $(java -jar omamori-appliance.jar --jvm-options) -jar omamori-appliance.jar

                    `--jvm-options` は、メモリ予算（プロセス全体の常駐メモリの上限、既定 512 MB）から Java のヒープなどの上限を作ります。
                    予算を超えそうになると、装置は止まらずに新しい通信を一時的に断ります（Web は 503、DNS は REFUSED）。

                    ## 設定（etc/、UTF-8）
                    - `etc/org.omamori.memory.cfg`（作成します）: `budgetMegabytes`（メモリ予算 MB、384 以上。変えたら再起動）
                    - `etc/org.omamori.uplink.cfg`（作成します）: `cloudUrl`（クラウドのアドレス）と `.activationCode`（運用者が発行したコード）
                    - `etc/org.omamori.proxy.cfg`: ブロック画面・無害化通知に表示するサービス名と窓口（%s の設定済み）
                    - `keys/operator-ed25519.pem`: 定義ファイル（URLリスト・シグネチャ）の署名を確かめる運用者の公開鍵
                    - `lists/`、`rules/`: 初期の URL カテゴリリストと IPS ルール（定義ファイルで更新されます）
                    """.formatted(b.service().ja()));
        }

        Path cloud(Path runtime, Path dir) throws IOException {
            Path stage = stage(dir, "cloud");
            ApplianceHome.copyTree(runtime, stage);
            ApplianceHome.copyTree(ApplianceHome.sampleLists(), stage.resolve("lists"));
            ApplianceHome.copyTree(ApplianceHome.projectRules(), stage.resolve("rules"));
            Files.createDirectories(stage.resolve("editions"));
            Files.createDirectories(stage.resolve("tls"));
            Files.createDirectories(stage.resolve("trust"));
            Files.createDirectories(stage.resolve("keys"));
            Files.copy(operatorKey, stage.resolve("keys/operator-ed25519.pem"));
            Files.writeString(stage.resolve("etc").resolve(CloudCommand.EDITIONS_WATCHER), CloudCommand.EDITIONS_WATCHER_CFG);
            cfg(stage, "org.omamori.definitions", "kinds = urlfilter, ips\n");
            var b = edition.brand();
            var desk = edition.terms().desk();
            cfg(stage, "org.omamori.monitor", """
                    # The node's own brand: the mail of customers whose reseller has no edition (docs/monitor.md).
                    serviceName = %s
                    desk = %s（%s）
                    # portal = https://portal.example.jp/
                    # smtpHost = smtp.example.jp
                    # mailFrom = %s
                    """.formatted(b.service().ja(), desk.name().ja(), desk.phone(), b.sender().address()));
            return finish(stage, dir, "cloud", """
                    クラウド監視システムのノードです。UTM装置からの検知と死活を受け、重要アラートや停止のメールを送ります。

                    ## 起動
                    JDK 21 以降があれば、このフォルダで次を実行します（初回に自己署名の証明書を tls/ に作ります）。

                        java -jar omamori-cloud.jar

                    既定では H2 データベースを state/ に作ります。PostgreSQL を使う場合は etc/org.omamori.store.cfg を設定します。

                    ## 設定（etc/、UTF-8）
                    - `etc/org.omamori.cloud.api.cfg`: 待ち受けのアドレスとポート（既定 8443、HTTPS のみ）
                    - `etc/org.omamori.monitor.cfg`: メールの SMTP、送信者、ノードのブランド（%s の設定済み）
                    - `editions/`: エディション（販売店ごとのブランドと規約）のバンドルを置くと、止めずに導入されます
                    - `keys/operator-ed25519.pem`: 定義ファイルの署名を確かめる運用者の公開鍵
                    """.formatted(b.service().ja()));
        }

        Path portal(Path target, Path dir) throws IOException {
            Path stage = stage(dir, "portal");
            Files.copy(target.resolve("omamori-portal.jar"), stage.resolve("omamori-portal.jar"));
            ApplianceHome.copyTree(target.resolve("lib"), stage.resolve("lib"));
            return finish(stage, dir, "portal", """
                    お客様・販売店・運用者が使うセキュリティサービスポータル（Web）です。クラウドと同じデータベースを使います。

                    ## 起動
                    JDK 21 以降があれば、このフォルダで次を実行します（CLOUD はクラウドのフォルダ）。

                        java -cp "omamori-portal.jar:lib/*" org.omamori.portal.PortalMain --home CLOUD --port 8080

                    既定では 127.0.0.1 で待ち受けます。公開する場合は TLS を終端するリバースプロキシの後ろで --listen を指定します。
                    """);
        }

        private Path stage(Path dir, String part) throws IOException {
            Path stage = dir.resolve("stage").resolve(name(part));
            deleteTree(stage);
            Files.createDirectories(stage.resolve("etc"));
            return stage;
        }

        private static void cfg(Path stage, String pid, String content) throws IOException {
            Files.writeString(stage.resolve("etc").resolve(pid + ".cfg"), content, StandardCharsets.UTF_8);
        }

        /** README, VERSION and SHA256SUMS into the stage, then the stage as {@code <name>.tar.gz}. */
        private Path finish(Path stage, Path dir, String part, String body) throws IOException {
            var b = edition.brand();
            String readme = "# " + b.service().ja() + " — " + switch (part) {
                case "appliance" -> "UTM装置";
                case "cloud" -> "クラウド監視システム";
                default -> "ポータル";
            } + "\n\n" + "販売元: " + b.company().ja() + "（エディション " + edition.id() + "）\nバージョン: " + version + "\n\n" + body
                    + "\n## 改ざんの確認\n\n    sha256sum -c SHA256SUMS\n\n"
                    + "お問い合わせ: " + edition.terms().desk().name().ja() + " " + edition.terms().desk().phone() + " "
                    + edition.terms().desk().mail() + "\n";
            Files.writeString(stage.resolve("README.ja.md"), readme, StandardCharsets.UTF_8);
            Files.writeString(stage.resolve("VERSION"), version + "\n");
            List<Path> files = files(stage);
            StringBuilder sums = new StringBuilder();
            for (Path f : files) {
                sums.append(sha256(f)).append("  ").append(stage.relativize(f).toString().replace('\\', '/')).append('\n');
            }
            Files.writeString(stage.resolve("SHA256SUMS"), sums.toString());
            Path archive = dir.resolve(name(part) + ".tar.gz");
            try (OutputStream fileOut = Files.newOutputStream(archive);
                 GzipCompressorOutputStream gz = new GzipCompressorOutputStream(fileOut);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Path f : files(stage)) {
                    // Name, size, mode and time only: file-system extras (creation times) make GNU tar warn.
                    TarArchiveEntry e = new TarArchiveEntry(name(part) + "/" + stage.relativize(f).toString().replace('\\', '/'));
                    e.setSize(Files.size(f));
                    e.setMode(Files.isExecutable(f) ? 0755 : 0644);
                    e.setModTime(Files.getLastModifiedTime(f).toMillis());
                    tar.putArchiveEntry(e);
                    Files.copy(f, tar);
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            deleteTree(dir.resolve("stage"));
            return archive;
        }

        private static List<Path> files(Path dir) throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                List<Path> files = new ArrayList<>(s.filter(Files::isRegularFile).toList());
                files.sort(null);
                return files;
            }
        }

        private static void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
