package org.omamori.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How mails write times and spans: Japan time, {@code yyyy/MM/dd HH:mm}. */
final class MailText {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm").withZone(JST);

    private MailText() {
    }

    /** {@code 2026/11/23 10:05} (Japan time). */
    static String time(Instant t) {
        return TIME.format(t);
    }

    /** {@code 2日3時間5分}, {@code 45分}. */
    static String span(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        var b = new StringBuilder();
        if (days > 0) {
            b.append(days).append("日");
        }
        if (hours > 0) {
            b.append(hours).append("時間");
        }
        if (mins > 0 || b.isEmpty()) {
            b.append(mins).append("分");
        }
        return b.toString();
    }

    /** The first lines: the brand's greeting and who writes. */
    static String head(Brand brand) {
        return brand.greeting() + "\n\n" + brand.serviceName() + " です。\n";
    }

    static String footer(Brand brand) {
        return """
                ----------------------------------------------------------------
                詳細はセキュリティサービスポータルでご確認いただけます。
                %s
                %s
                """.formatted(brand.portal(), brand.signature().strip());
    }
}
