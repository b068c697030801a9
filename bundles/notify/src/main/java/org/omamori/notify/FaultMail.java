package org.omamori.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * The fault notice and the recovery mail for level A and B faults (000 §9.3: sent once the
 * operator confirmed the fault). They state the facts only (000 §9.5): what is affected, since
 * when, what the customer may notice, what we do, and where to ask. They go to the alert recipients.
 */
public final class FaultMail {

    private FaultMail() {
    }

    /**
     * The notice, or the recovery mail when the fault has {@link Fault#recovered() recovered}.
     *
     * @throws IllegalArgumentException for a level Z fault: customers are not told of those
     */
    public static Mail compose(Brand brand, Recipients to, Fault fault) {
        if (!fault.level().notifiesCustomers()) {
            throw new IllegalArgumentException("a level Z fault is not mailed to customers (000 §9.3)");
        }
        return fault.recovered().isPresent() ? recovery(brand, to, fault, fault.recovered().get()) : notice(brand, to, fault);
    }

    private static Mail notice(Brand brand, Recipients to, Fault f) {
        String subject = "【障害のお知らせ】" + brand.serviceName() + " " + whatJa(f) + "（障害レベル" + f.level() + "）";
        String body = head(brand)
                + "現在、" + brand.serviceName() + " で障害が発生しています。ご迷惑をおかけし申し訳ございません。\n\n"
                + "障害レベル: " + f.level() + "（" + f.level().meaningJa() + "）\n"
                + "影響範囲: " + scopeJa(f) + "\n"
                + "発生日時: " + MailText.time(f.since()) + "（日本時間）\n\n"
                + "お客様への影響:\n  " + impactJa(f) + "\n\n"
                + "当社の対応:\n  " + actionJa(f) + "\n\n"
                + "復旧しましたら、復旧のお知らせをお送りします。ご不明な点は " + brand.desk() + " までご連絡ください。\n"
                + "[EN] Level " + f.level() + " fault (" + whatEn(f) + ") since " + MailText.time(f.since())
                + " JST. We are working on it and will mail again when it is resolved.\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }

    private static Mail recovery(Brand brand, Recipients to, Fault f, Instant at) {
        String subject = "【復旧のお知らせ】" + brand.serviceName() + " " + whatJa(f) + "（障害レベル" + f.level() + "）";
        String body = head(brand)
                + "お知らせしていた障害は復旧しました。ご迷惑をおかけし申し訳ございませんでした。\n\n"
                + "障害レベル: " + f.level() + "（" + f.level().meaningJa() + "）\n"
                + "影響範囲: " + scopeJa(f) + "\n"
                + "発生日時: " + MailText.time(f.since()) + "（日本時間）\n"
                + "復旧日時: " + MailText.time(at) + "（日本時間）\n"
                + "障害の時間: 約 " + MailText.span(Duration.between(f.since(), at)) + "\n\n"
                + afterJa(f) + "\n"
                + "お客様の操作は不要です。気になる点があれば " + brand.desk() + " にご相談ください。\n"
                + "[EN] The level " + f.level() + " fault (" + whatEn(f) + ") since " + MailText.time(f.since())
                + " JST was resolved at " + MailText.time(at) + " JST.\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }

    private static String head(Brand brand) {
        return MailText.head(brand);
    }

    private static String whatJa(Fault f) {
        return switch (f.component()) {
            case DATABASE -> "監視システムの停止";
            case MAIL -> "アラートメール送信の遅延";
            case SCHEDULER -> "アラートメール通知・停止検知の遅延";
            case INGEST -> "UTM 装置からのログ受信の停止";
            case APPLIANCE -> "UTM 装置の障害（" + appliance(f) + "）";
        };
    }

    private static String whatEn(Fault f) {
        return switch (f.component()) {
            case DATABASE -> "monitoring system down";
            case MAIL -> "alert mail delayed";
            case SCHEDULER -> "alert mail and stop detection delayed";
            case INGEST -> "appliance logs not received";
            case APPLIANCE -> "appliance " + f.appliance().map(a -> a.id().value()).orElse("");
        };
    }

    private static String scopeJa(Fault f) {
        return f.appliance().map(a -> "お客様の UTM 装置 " + a).orElse("本サービスをご利用のすべてのお客様");
    }

    private static String impactJa(Fault f) {
        return switch (f.component()) {
            case DATABASE -> "通信の監視・分析と、重要アラートのメール通知が停止しています。ポータルもご利用いただけない場合があります。";
            case MAIL -> "重要アラートや UTM 装置の停止のお知らせメールが遅れて届きます。検知した内容はポータルでご確認いただけます。";
            case SCHEDULER -> "重要アラートや UTM 装置の停止のお知らせメールが遅れて届きます。";
            case INGEST -> "UTM 装置からのログが分析されず、重要アラートのお知らせが遅れます。"
                    + "UTM 装置による遮断・無害化は引き続き動作しています。ログは UTM 装置に保存され、復旧後に分析します。";
            case APPLIANCE -> "この UTM 装置のログの一部が当社に届いておらず、その間の通信について重要アラートのお知らせが遅れる、"
                    + "または届かない場合があります。";
        };
    }

    private static String actionJa(Fault f) {
        return f.component() == Fault.Component.APPLIANCE
                ? "原因を調査しています。UTM 装置の故障と判断した場合は、代替品をお送りします。"
                : "障害の復旧に向けて対応しています。";
    }

    private static String afterJa(Fault f) {
        return switch (f.component()) {
            case MAIL, SCHEDULER -> "障害の間に遅れていたお知らせメールは、順次お送りしています。";
            case INGEST, DATABASE -> "障害の間に UTM 装置に保存されていたログは、順次分析しています。";
            case APPLIANCE -> "UTM 装置からのログを再び受信しています。";
        };
    }

    private static String appliance(Fault f) {
        return f.appliance().map(a -> a.name().isBlank() ? a.id().value() : a.name()).orElse("");
    }
}
