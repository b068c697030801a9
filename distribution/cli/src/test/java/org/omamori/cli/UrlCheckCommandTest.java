package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The `./omamori url check` command line, its output and its exit codes. */
class UrlCheckCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private static String samples() {
        return ApplianceHome.sampleLists().toString();
    }

    @Test
    void aBlockedUrlPrintsCategoryAndMatchingEntryAndExitsOne() {
        int code = run("url", "check", "--lists", samples(), "http://www.Login-Bank.phish.test./account", "https://www.example.jp/");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("BLOCK").contains("phishing (フィッシング詐欺 / Phishing)")
                .contains("login-bank.phish.test  [phishing/domains]");
        assertThat(out.toString().lines().filter(l -> l.contains("www.example.jp"))).singleElement().asString().startsWith("pass ");
        assertThat(err.toString()).contains("entries");
    }

    @Test
    void aLogOnlyCategoryPassesAndExitsZero() {
        assertThat(run("url", "check", "--lists", samples(), "news.example")).isEqualTo(0);
        assertThat(out.toString()).contains("pass (log)").contains("news (ニュース / News)");
    }

    @Test
    void missingListsExitTwoAndSaySo(@TempDir Path tmp) {
        assertThat(run("url", "check", "--lists", tmp.resolve("nowhere").toString(), "http://x.test/")).isEqualTo(2);
        assertThat(err.toString()).contains("nowhere");
    }

    @Test
    void anOverSizeListSetIsRefusedWithTheLimitNamed() {
        assertThat(run("url", "check", "--lists", samples(), "--max-entries", "5", "http://x.test/")).isEqualTo(2);
        assertThat(err.toString()).contains("maxEntries");
    }

    @Test
    void badLinesAreReportedWithFileAndLine(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("malware"));
        Files.writeString(tmp.resolve("malware/domains"), "ok.test\nnot a domain\n");

        assertThat(run("url", "check", "--lists", tmp.toString(), "http://ok.test/")).isEqualTo(1);
        assertThat(err.toString()).contains("1 line(s) skipped").contains("malware/domains:2:");
    }

    @Test
    void tablesCountJapaneseCharactersAsTwoColumns() {
        assertThat(Table.width("判定/verdict")).isEqualTo(12);
        StringWriter s = new StringWriter();
        new Table().row("判定", "x").row("ab", "y").print(new PrintWriter(s));
        assertThat(s.toString().lines()).containsExactly("判定  x", "ab    y");
    }
}
