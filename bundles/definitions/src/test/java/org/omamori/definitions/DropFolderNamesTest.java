package org.omamori.definitions;

import org.omamori.api.text.Printable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.Event;

/** Drop-folder files and package entries whose names hold control characters. */
class DropFolderNamesTest {

    @TempDir
    Path home;

    private final Fixtures.Recorded sink = new Fixtures.Recorded();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private Path incoming;
    private DropFolder drop;

    @BeforeEach
    void start() throws Exception {
        Installer installer = new Installer(home.resolve("definitions"), new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()),
                InstalledVersions.open(home.resolve("state/versions.properties")),
                Map.of(Kind.URLFILTER, (v, files) -> applied.add("urlfilter " + v)), Fixtures.EVENTS, sink);
        incoming = home.resolve("definitions/incoming");
        drop = new DropFolder(incoming, installer, 1 << 20, Duration.ofSeconds(2), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));
    }

    @Test
    void aGoodPackageWhoseFileNameHoldsAControlCharacterIsRefusedUnreadAndSetAsideEscaped() throws Exception {
        List<String> names = List.of("new\nline-1.zip", "carriage\rreturn-2.zip", "esc\u001b[31m-3.zip", "soh\u0001-4.zip");
        int version = 1;
        for (String name : names) {
            // Each a real package signed by the operator: only its name is wrong.
            MakeDefinitions.write(incoming.resolve(name), Fixtures.urlPackage(home, String.valueOf(version++), "x.example"));
        }
        assertThat(incoming.resolve(names.get(0))).exists();

        List<Outcome> outcomes;
        String log;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            outcomes = drop.scan();
        } finally {
            System.setErr(err);
            log = captured.toString(StandardCharsets.UTF_8);
        }

        assertThat(applied).isEmpty();
        assertThat(outcomes).hasSize(4).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Refused.Reason.MALFORMED);
            assertThat(r.why()).startsWith("file name holds a control character: ");
            assertThat(Printable.hasUnsafe(r.why())).isFalse();
        }));
        assertThat(outcomes).extracting(o -> ((Outcome.Rejected) o).why()).contains(
                "file name holds a control character: new\\x0aline-1.zip",
                "file name holds a control character: esc\\x1b[31m-3.zip");
        try (Stream<Path> left = Files.list(incoming)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("refused");
        }
        try (Stream<Path> set = Files.list(incoming.resolve("refused"))) {
            assertThat(set.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "new%0Aline-1.zip", "new%0Aline-1.zip.sig", "carriage%0Dreturn-2.zip", "carriage%0Dreturn-2.zip.sig",
                    "esc%1B[31m-3.zip", "esc%1B[31m-3.zip.sig", "soh%01-4.zip", "soh%01-4.zip.sig");
        }
        assertThat(sink.ruleIds()).containsExactly(Installer.REFUSED, Installer.REFUSED, Installer.REFUSED, Installer.REFUSED);
        assertThat(sink.events).extracting(Event::note).allSatisfy(note -> assertThat(Printable.hasUnsafe(note)).isFalse())
                .anySatisfy(note -> assertThat(note).contains("incoming/new\\x0aline-1.zip"));
        // One line per refusal, the names escaped: nothing in the log but the logger's own line ends.
        assertThat(log).contains("refused (malformed)").contains("new\\x0aline-1.zip").contains("esc\\x1b[31m-3.zip");
        assertThat(log.replace("\n", "").chars().noneMatch(c -> Printable.unsafe((char) c))).isTrue();
    }

    @Test
    void aPackageWhoseEntryNameHoldsAControlCharacterIsSetAsideAndReportedEscaped() throws Exception {
        for (String bad : List.of("files/next\u0085line", "files/esc\u001b]0;title\u0007", "files/rlo\u202etxt.rules")) {
            var entries = Fixtures.entries();
            entries.add(Map.entry("manifest.json", Fixtures.manifest("ips", "1", List.of())));
            entries.add(Map.entry(bad, Fixtures.utf8("x")));
            MakeDefinitions.write(incoming.resolve("entry.zip"), Fixtures.raw(entries));

            assertThat(drop.scan()).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
                assertThat(r.reason()).as(bad).isEqualTo(Refused.Reason.MALFORMED);
                assertThat(r.why()).as(bad).contains("control character");
                assertThat(Printable.hasUnsafe(r.why())).as(r.why()).isFalse();
            });
            assertThat(incoming.resolve("refused/entry.zip")).exists();
            assertThat(incoming.resolve("entry.zip")).doesNotExist();
        }
        assertThat(sink.events).extracting(Event::note).allSatisfy(note -> assertThat(Printable.hasUnsafe(note)).isFalse());
    }
}
