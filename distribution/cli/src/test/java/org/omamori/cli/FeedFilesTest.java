package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's files that steer a build: the category mapping and suricata-update's filter files, each error naming file and line. */
class FeedFilesTest {

    @TempDir
    Path dir;

    @Test
    void aMappingIsReadStrictlyWithFileAndLineInEachError() throws Exception {
        Path ok = Feeds.write(dir.resolve("m.conf"), "\uFEFF# comment\r\nphishing = phishing\r\n\r\nsocial_networks=social # inline\n");
        assertThat(CategoryMapping.read(ok).map()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("phishing", "phishing", "social_networks", "social"));
        record Bad(String text, String says) {
        }
        for (Bad b : java.util.List.of(
                new Bad("phishing\n", "m2.conf:1: expected 'theirs = ours'"),
                new Bad("a = b = c\n", "m2.conf:1: expected 'theirs = ours'"),
                new Bad("x = Phishing\n", "m2.conf:1: 'Phishing' is not one of our category ids"),
                new Bad("a = b\n../x = c\n", "m2.conf:2: '../x' is not a feed category name"),
                new Bad("a = b\n\na = c\n", "m2.conf:3: 'a' is mapped already on line 1"),
                new Bad("# nothing\n", "maps no category"))) {
            Path f = Feeds.write(dir.resolve("m2.conf"), b.text());
            assertThatThrownBy(() -> CategoryMapping.read(f)).as(b.text()).hasMessageContaining(b.says());
        }
        Path latin1 = dir.resolve("m3.conf");
        Files.write(latin1, new byte[] {'a', ' ', '=', ' ', 'b', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> CategoryMapping.read(latin1)).hasMessageContaining("m3.conf: not UTF-8");
    }

    @Test
    void filterLinesAreSidsGroupsOrRegexesAndModifyReplacementsUseGroups() throws Exception {
        assertThat(SuricataFeed.replacement("drop\\2 \\g<1> $x \\n")).isEqualTo("drop$2 $1 \\$x \\\\n");
        Path bad = Feeds.write(dir.resolve("disable.conf"), "2000001\n\nsid:5\n");
        assertThatThrownBy(() -> SuricataFeed.filters(bad, false)).hasMessageContaining("disable.conf:3: 'sid:5' is not a sid, gid:sid, group:FILE or re:REGEX");
        Path badRe = Feeds.write(dir.resolve("enable.conf"), "re:(unclosed\n");
        assertThatThrownBy(() -> SuricataFeed.filters(badRe, false)).hasMessageContaining("enable.conf:1: not a regular expression");
        Path modify = Feeds.write(dir.resolve("modify.conf"), "re:ET (A|B) \"(alert)\" \"drop\"\n");
        assertThat(SuricataFeed.filters(modify, true)).singleElement().satisfies(f -> {
            assertThat(f.spec()).isEqualTo("re:ET (A|B)");
            assertThat(f.matches(new SuricataFeed.Rule("x.rules", "alert tcp any any -> any any (msg:\"ET A\"; sid:1;)", 1, 1, 0, true))).isTrue();
        });
    }
}
