package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The operator's cloud commands on a cloud home's embedded store: output and exit codes. */
class CloudCommandsTest {

    @TempDir
    Path home;

    private StringWriter out;
    private StringWriter err;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--home";
        all[args.length + 1] = home.toString();
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    }

    @Test
    void aCustomerAnApplianceASuppressionAndAnEmptyOutbox() {
        assertThat(run("cloud", "reseller", "--name", "新潟商工会議所")).isZero();
        String reseller = out.toString().strip();
        assertThat(reseller).isEqualTo("1");
        assertThat(run("cloud", "reseller", "--name", "新潟商工会議所")).as("a second of the same name").isEqualTo(2);
        assertThat(err.toString()).contains("exists already as reseller 1");
        assertThat(run("cloud", "customer", "--reseller", reseller, "--name", "株式会社テスト", "--mail", "a@example.jp,b@example.jp"))
                .isZero();
        String customer = out.toString().strip();
        assertThat(customer).isEqualTo("1");
        assertThat(run("cloud", "customer")).isZero();
        assertThat(out.toString()).contains("株式会社テスト").contains("a@example.jp, b@example.jp");
        assertThat(run("cloud", "reseller")).isZero();
        assertThat(out.toString()).contains("新潟商工会議所").containsPattern("1\\s+新潟商工会議所\\s+1");

        assertThat(run("cloud", "appliance", "--customer", customer, "--id", "0f0000000001", "--name", "本社")).isZero();
        assertThat(out.toString().strip()).as("the one-time activation code").matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){5}");
        assertThat(run("cloud", "appliance", "--customer", customer, "--id", "0f0000000001")).as("registered already").isEqualTo(2);
        assertThat(err.toString()).contains("registered already");
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--new-code")).isZero();
        assertThat(run("cloud", "appliance")).isZero();
        assertThat(out.toString()).contains("0f0000000001", "株式会社テスト", "本社", "未接続/never seen");
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--maintenance", "on")).isZero();
        assertThat(out.toString()).contains("メンテナンス中");
        assertThat(run("cloud", "appliance", "--customer", customer)).isZero();
        assertThat(out.toString()).contains("0f0000000001", "メンテナンス中/maintenance");
        assertThat(run("cloud", "appliance", "--customer", "99")).isZero();
        assertThat(out.toString()).doesNotContain("0f0000000001");
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--maintenance", "off")).isZero();
        assertThat(run("cloud", "appliance", "--id", "0f0000000001", "--maintenance", "maybe")).isEqualTo(2);
        assertThat(run("cloud", "appliance", "--id", "0f00000000ff", "--maintenance", "on")).as("not registered").isEqualTo(2);

        assertThat(run("cloud", "suppress", "--customer", customer, "--rule", "phishing-blocked", "--reason", "訓練メール",
                "--days", "7")).isZero();
        assertThat(run("cloud", "suppress", "--customer", customer)).isZero();
        assertThat(out.toString()).contains("phishing-blocked").contains("訓練メール");

        assertThat(run("cloud", "outbox")).isZero();
        assertThat(out.toString()).contains("the outbox is empty");
        assertThat(run("cloud", "faults")).isZero();
    }

    @Test
    void badInputExitsTwoAndSaysWhy() {
        assertThat(run("cloud", "customer", "--reseller", "1", "--name", "n", "--mail", "a@x.jp,b@x.jp,c@x.jp,d@x.jp")).isEqualTo(2);
        assertThat(err.toString()).contains("at most 3");
        // A reseller by a name, or an id that does not exist, makes nothing.
        assertThat(run("cloud", "customer", "--reseller", "新潟商工会義所", "--name", "n", "--mail", "a@x.jp")).isEqualTo(2);
        assertThat(run("cloud", "customer", "--reseller", "7", "--name", "n", "--mail", "a@x.jp")).isEqualTo(2);
        assertThat(err.toString()).contains("there is no reseller 7");
        assertThat(run("cloud", "reseller")).isZero();
        assertThat(out.toString()).doesNotContain("新潟商工会義所");
        assertThat(run("cloud", "appliance", "--customer", "1", "--id", "NOT-HEX")).isEqualTo(2);
        assertThat(run("cloud", "suppress", "--customer", "42", "--rule", "x", "--reason", "y")).isEqualTo(2);
        assertThat(err.toString()).contains("customer 42 does not exist");
    }
}
