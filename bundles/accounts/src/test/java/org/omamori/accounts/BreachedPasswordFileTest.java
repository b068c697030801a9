package org.omamori.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BreachedPasswordFile}: a real file in the Pwned Passwords format, looked up by binary search. */
class BreachedPasswordFileTest {

    @TempDir
    Path dir;

    static String sha1(String password) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8)));
    }

    /** A sorted list of the passwords' hashes with counts, LF or CRLF; lower-case hex when asked. */
    Path list(List<String> passwords, String newline, boolean lowerCase, boolean lastNewline) throws Exception {
        TreeMap<String, Integer> lines = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (String p : passwords) {
            lines.put(sha1(p), 1 + random.nextInt(1_000_000));
        }
        StringBuilder b = new StringBuilder();
        lines.forEach((hash, count) -> b.append(lowerCase ? hash.toLowerCase() : hash).append(':').append(count).append(newline));
        if (!lastNewline) {
            b.setLength(b.length() - newline.length());
        }
        Path file = dir.resolve("pwned-" + newline.length() + lowerCase + lastNewline + ".txt");
        Files.writeString(file, b, StandardCharsets.US_ASCII);
        return file;
    }

    @Test
    void findsEveryListedPasswordAndNoOtherInAnyLineFormat() throws Exception {
        List<String> listed = new ArrayList<>(List.of("password", "123456", "パスワード", "Omamori-Demo-2026"));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 5000; i++) {
            listed.add("pw" + random.nextLong());
        }
        for (String newline : List.of("\n", "\r\n")) {
            for (boolean lower : List.of(false, true)) {
                for (boolean lastNewline : List.of(true, false)) {
                    try (BreachedPasswordFile file = BreachedPasswordFile.open(list(listed, newline, lower, lastNewline))) {
                        for (String p : listed) {
                            assertThat(file.isBreached(p)).as(p).isTrue();
                        }
                        for (int i = 0; i < 5000; i++) {
                            assertThat(file.isBreached("other" + random.nextLong())).isFalse();
                        }
                        assertThat(file.isBreached("")).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void theFirstAndLastLinesAndAOneLineListAreFound() throws Exception {
        List<String> listed = List.of("a", "b", "c", "d", "e");
        List<String> byHash = new ArrayList<>(listed);
        byHash.sort((x, y) -> {
            try {
                return sha1(x).compareTo(sha1(y));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try (BreachedPasswordFile file = BreachedPasswordFile.open(list(listed, "\n", false, true))) {
            assertThat(file.isBreached(byHash.getFirst())).isTrue();
            assertThat(file.isBreached(byHash.getLast())).isTrue();
        }
        try (BreachedPasswordFile one = BreachedPasswordFile.open(list(List.of("only"), "\n", false, false))) {
            assertThat(one.isBreached("only")).isTrue();
            assertThat(one.isBreached("a")).isFalse();
        }
    }

    @Test
    void aFileThatIsNotSuchAListIsRefusedNamingIt() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "これはリストではありません\n");
        assertThatThrownBy(() -> BreachedPasswordFile.open(text)).isInstanceOf(IOException.class)
                .hasMessageContaining("notes.txt").hasMessageContaining("line 1");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertThatThrownBy(() -> BreachedPasswordFile.open(empty)).isInstanceOf(IOException.class).hasMessageContaining("empty");
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, sha1("a") + "\nhunter2\n");
        assertThatThrownBy(() -> BreachedPasswordFile.open(plain)).isInstanceOf(IOException.class).hasMessageContaining("last line");
        assertThatThrownBy(() -> BreachedPasswordFile.open(dir.resolve("missing.txt"))).isInstanceOf(IOException.class);
    }

    @Test
    void thePolicyRefusesAListedPasswordWithTheBreachedRule() throws Exception {
        try (BreachedPasswordFile file = BreachedPasswordFile.open(list(List.of("Kaede-Koumuten-2026!"), "\n", false, true))) {
            PasswordPolicy policy = PasswordPolicy.standard().withBreachedPasswords(file);
            assertThat(policy.check("Kaede-Koumuten-2026!", "kaede.user")).contains(PasswordPolicy.Violation.BREACHED);
            assertThat(policy.check("Kaede-Koumuten-2027!", "kaede.user")).doesNotContain(PasswordPolicy.Violation.BREACHED);
        }
    }
}
