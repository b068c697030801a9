package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's hand-over of SMTP to this intake (scripts/bridge.sh {@code smtp.server}): the
 * nftables rules it generates, without root. When {@code nft} is installed and the test runs as
 * root, nft checks them ({@code nft -c}). The whole bridge runs in itest's BridgeModeTest.
 */
class BridgeRulesTest {

    static final Path SCRIPT = Path.of("../../scripts/bridge.sh").toAbsolutePath().normalize();
    static final String BASE = "bridge = omamori0\nwan = eth0\nzone.lan = eth1\naddress = 192.168.1.2/24\n";

    @TempDir
    Path dir;

    record Run(int exit, String out) { }

    Run rules(String config) throws Exception {
        Path conf = dir.resolve("bridge.conf");
        Files.writeString(conf, config);
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), "rules", conf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void offByDefault() throws Exception {
        Run r = rules(BASE);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("dport 25").doesNotContain("smtp");
    }

    @Test
    void smtpToTheServerGoesToTheIntakeFromEitherSide() throws Exception {
        Run r = rules(BASE + "smtp.server = 192.168.1.10\n");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().map(String::strip).toList();
        // Steered in the bridge family without an interface match: inbound (WAN side) and outbound (LAN side).
        assertThat(lines).contains("ether type ip ip daddr 192.168.1.10 tcp dport 25 meta mark set 0x4f4d00ff meta pkttype set host"
                + " ether daddr set 02:00:00:00:00:00 accept comment \"smtp\"");
        // failure = open: only while the intake holds port 25; otherwise the mail goes to the server untouched.
        assertThat(lines).contains("meta mark 0x4f4d00ff tcp dport 25 socket wildcard 1 redirect to :25 comment \"smtp\"");
        // Only port 25: SMTPS (465) and submission (587) cross the bridge untouched.
        assertThat(r.out()).doesNotContain("465").doesNotContain("587");
        nftAccepts(r.out());
    }

    @Test
    void failureClosedMayUseAnotherPort() throws Exception {
        Run r = rules(BASE + "smtp.server = 192.168.1.10\nsmtp.port = 10025\nfailure = closed\nzone.lan.ports = 8080,8443,5353\n");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("meta mark 0x4f4d00ff tcp dport 25 redirect to :10025 comment \"smtp\"");
    }

    @Test
    void badSettingsNameTheLine() throws Exception {
        Run open = rules(BASE + "smtp.server = 192.168.1.10\nsmtp.port = 10025\n");
        assertThat(open.exit()).isEqualTo(2);
        assertThat(open.out()).contains("failure = open needs the SMTP intake on port 25");
        Run bad = rules(BASE + "smtp.server = mail.example.jp\n");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).contains("bridge.conf:5: smtp.server: 'mail.example.jp' is not an IPv4 address.");
    }

    private void nftAccepts(String rules) throws IOException, InterruptedException {
        boolean nft = Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft"));
        Assumptions.assumeTrue(nft && "root".equals(System.getProperty("user.name")), "nft -c needs nftables and root");
        Path file = dir.resolve("rules.nft");
        Files.writeString(file, rules);
        Process p = new ProcessBuilder("nft", "-c", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
