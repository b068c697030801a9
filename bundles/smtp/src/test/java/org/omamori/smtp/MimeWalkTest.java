package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MimeWalkTest {

    @Test
    void japaneseFileNames() {
        // RFC 2047, ISO-2022-JP as Japanese mailers write it: 請求書.zip
        assertThat(MimeWalk.filename("attachment;\r\n filename=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhCLnppcA==?=\"", "filename"))
                .isEqualTo("請求書.zip");
        // RFC 2231 in Shift_JIS and UTF-8
        assertThat(MimeWalk.filename("attachment; filename*=Shift_JIS''%90%BF%8B%81%8F%91.zip", "filename")).isEqualTo("請求書.zip");
        assertThat(MimeWalk.filename("attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.zip", "filename")).isEqualTo("請求書.zip");
        // EUC-JP encoded word in a Content-Type name
        assertThat(MimeWalk.filename("application/zip; name=\"=?EUC-JP?B?wMG14b3xLnppcA==?=\"", "name")).isEqualTo("請求書.zip");
        assertThat(MimeWalk.filename("attachment", "filename")).isEmpty();
        assertThat(MimeWalk.filename("attachment; filename=\"a\u0007b.txt\"", "filename")).isEqualTo("ab.txt");
    }
}
