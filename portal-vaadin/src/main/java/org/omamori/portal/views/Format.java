package org.omamori.portal.views;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as customers read them: Japan time, to the minute or second. */
final class Format {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm").withZone(JST);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(JST);

    private Format() {
    }

    static String time(Instant t, Locale locale) {
        return t == null ? "—" : MINUTE.format(t);
    }

    static String seconds(Instant t) {
        return t == null ? "—" : SECOND.format(t);
    }
}
