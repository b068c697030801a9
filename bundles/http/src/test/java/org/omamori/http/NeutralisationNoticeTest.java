package org.omamori.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

/** What the user gets instead of an infected download. */
class NeutralisationNoticeTest {

    private static final ZonedDateTime WHEN = ZonedDateTime.of(2026, 11, 23, 18, 30, 0, 0, ZoneId.of("Asia/Tokyo"));

    @Test
    void japaneseComesFirstThenEnglishWithWhatWhereWhenAndWhomToCall() {
        NeutralisationNotice notice = new NeutralisationNotice("Omamori.Test.EICAR-1.UNOFFICIAL", "http://files.example/eicar.com",
                "大阪商工会議所 お助け隊", "サポート窓口 06-0000-0000", WHEN);
        String text = notice.text();

        assertThat(text.indexOf("ウイルス")).isLessThan(text.indexOf("virus"));
        assertThat(text).contains("Omamori.Test.EICAR-1.UNOFFICIAL").contains("http://files.example/eicar.com")
                .contains("2026-11-23 18:30:00 JST").contains("大阪商工会議所 お助け隊").contains("サポート窓口 06-0000-0000")
                .contains("開けません").contains("cannot be opened");
        assertThat(new String(notice.bytes(), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void valuesFromTheNetworkCannotInjectLinesOrGrowWithoutBound() {
        NeutralisationNotice notice = new NeutralisationNotice("Evil\r\nX-Injected: 1", "http://x.example/" + "a".repeat(10_000),
                NeutralisationNotice.DEFAULT_BRAND, NeutralisationNotice.DEFAULT_CONTACT, WHEN);
        assertThat(notice.text()).doesNotContain("Evil\r\nX-Injected").contains("Evil??X-Injected: 1");
        assertThat(notice.text().length()).isLessThan(6000);
    }

    @Test
    void theDefaultNoticeNamesTheServiceAndTheProvidersDesk() {
        String text = NeutralisationNotice.of("Omamori.Test.Marker-1.UNOFFICIAL", "http://x.example/a.zip").text();
        assertThat(text).contains("サイバーセキュリティお助け隊").contains("ご契約の販売店のサポート窓口").contains("JST");
    }
}
