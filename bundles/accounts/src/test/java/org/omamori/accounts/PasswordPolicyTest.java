package org.omamori.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.accounts.PasswordPolicy.Violation;

class PasswordPolicyTest {

    final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void aLongMixedPasswordPasses() {
        assertThat(policy.check("Kumo-no-ue 2026", "yamada.taro")).isEmpty();
        assertThat(policy.check("さくらの花が咲く2026年4月", "yamada")).isEmpty();
        assertThat(policy.check("blue tractor sings loudly", null)).isEmpty(); // lower case + spaces
    }

    @Test
    void shortPasswordsAreRefusedWithAJapaneseMessageFirst() {
        List<Violation> v = policy.check("Ab3$efgh", "user01");
        assertThat(v).containsExactly(Violation.TOO_SHORT);
        assertThat(v.getFirst().ja()).isEqualTo("パスワードは12文字以上にしてください。");
        assertThat(v.getFirst().en()).contains("12 characters");
    }

    @Test
    void lengthCountsCharactersNotBytesAndFullWidthIsNormalised() {
        assertThat(policy.check("あいうえおかきくけこさし", null)).doesNotContain(Violation.TOO_SHORT);
        // Full-width Latin letters and digits are the same characters as half-width ones.
        assertThat(policy.check("ｐａｓｓｗｏｒｄ１２３４", null)).contains(Violation.COMMON);
        assertThat(policy.check("x".repeat(129) + "1", null)).containsExactly(Violation.TOO_LONG);
    }

    @Test
    void theUserIdMayNotBeInThePassword() {
        assertThat(policy.check("Tanaka.Ichiro-2026!", "tanaka.ichiro")).containsExactly(Violation.CONTAINS_USER_ID);
        assertThat(policy.check("xx-YAMADA-long-pass-9", "yamada")).containsExactly(Violation.CONTAINS_USER_ID);
        // Too short an id is not checked: it would forbid half the dictionary.
        assertThat(policy.check("Jpeg-photos-2026", "jp")).isEmpty();
    }

    @Test
    void oneKindOfCharacterIsNotEnough() {
        assertThat(policy.check("correcthorsebattery", null)).containsExactly(Violation.ONE_CHARACTER_KIND);
        assertThat(policy.check("CORRECTHORSEBATTERY", null)).containsExactly(Violation.ONE_CHARACTER_KIND);
        assertThat(policy.check("1234509876123", null)).contains(Violation.ONE_CHARACTER_KIND, Violation.COMMON);
        assertThat(policy.check("Correcthorsebattery", null)).isEmpty();
    }

    @Test
    void commonPasswordsAndTheirDecorationsAreRefused() {
        for (String pw : new String[] {"Password2026!", "P@ssw0rd12345", "!!Qwerty123456", "omamori-2026-01",
                "abcabcabcabc1", "2026-12-05!!##", "Aaaaaaaaaaaa1", "Sakura20262026"}) {
            assertThat(policy.check(pw, null)).as(pw).contains(Violation.COMMON);
        }
        assertThat(PasswordPolicy.bundledCommonPasswords()).contains("password", "omamori", "qwerty").doesNotContain("");
    }

    @Test
    void theBreachedCheckIsPluggableAndAskedOnlyAboutOtherwiseGoodPasswords() {
        List<String> asked = new ArrayList<>();
        PasswordPolicy withList = policy.withBreachedPasswords(pw -> {
            asked.add(pw);
            return pw.equals("Kumo-no-ue 2026");
        });
        assertThat(withList.check("Kumo-no-ue 2026", null)).containsExactly(Violation.BREACHED);
        assertThat(withList.check("Another-good-one 7", null)).isEmpty();
        assertThat(withList.check("short", null)).doesNotContain(Violation.BREACHED);
        assertThat(asked).containsExactly("Kumo-no-ue 2026", "Another-good-one 7");
        assertThat(Violation.BREACHED.ja()).contains("漏えい");
    }

    @Test
    void characterKinds() {
        assertThat(PasswordPolicy.kinds("abc")).isEqualTo(1);
        assertThat(PasswordPolicy.kinds("aB3")).isEqualTo(3);
        assertThat(PasswordPolicy.kinds("かな漢字a")).isEqualTo(2);
        assertThat(PasswordPolicy.kinds("a b")).isEqualTo(2);
        assertThat(PasswordPolicy.repeatedUnit("abcabc")).isEqualTo("abc");
        assertThat(PasswordPolicy.repeatedUnit("abcab")).isEqualTo("abcab");
    }
}
