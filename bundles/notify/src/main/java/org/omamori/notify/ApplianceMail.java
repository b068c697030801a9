package org.omamori.notify;

import java.time.Duration;

/**
 * The stopped-appliance mails (000 §4.3.2): the first notice, the daily reminder, and the
 * recovery mail we add. They go to the important-alert recipients.
 */
public final class ApplianceMail {

    private ApplianceMail() {
    }

    /**
     * The mail for a notice.
     *
     * @throws IllegalArgumentException when the notice is about another appliance
     */
    public static Mail compose(Brand brand, Recipients to, ApplianceRef appliance, Notice notice) {
        if (!notice.appliance().equals(appliance.id())) {
            throw new IllegalArgumentException("notice about appliance " + notice.appliance() + " composed for " + appliance.id());
        }
        return switch (notice) {
            case Notice.Stopped s -> stopped(brand, to, appliance, s);
            case Notice.StillStopped s -> stillStopped(brand, to, appliance, s);
            case Notice.Recovered r -> recovered(brand, to, appliance, r);
        };
    }

    private static Mail stopped(Brand brand, Recipients to, ApplianceRef a, Notice.Stopped s) {
        String subject = "【停止検知】" + brand.serviceName() + " UTM装置の稼働停止のお知らせ（" + label(a) + "）";
        String body = head(brand)
                + "お客様の UTM 装置からの通信が途絶えたため、稼働が停止していると判断しました。\n"
                + "停止している間は、お客様のネットワークの通信を監視できません。\n\n"
                + facts(a, s.lastContact(), s.at())
                + "ポータルで状態を見る: " + brand.appliancePage(a.id().value()) + "\n\n"
                + todo(brand)
                + "復旧していない場合は、毎日定時に確認し、再度お知らせします。復旧を確認しましたら、復旧のお知らせをお送りします。\n"
                + "[EN] Appliance " + a.id() + " stopped: no contact since " + MailText.time(s.lastContact()) + " JST.\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }

    private static Mail stillStopped(Brand brand, Recipients to, ApplianceRef a, Notice.StillStopped s) {
        String subject = "【停止継続】" + brand.serviceName() + " UTM装置が停止したままです（" + label(a) + "）";
        String body = head(brand)
                + MailText.time(s.firstNotice()) + " にお知らせした UTM 装置の停止から、まだ復旧していません。\n"
                + "停止している間は、お客様のネットワークの通信を監視できません。\n\n"
                + facts(a, s.lastContact(), s.at())
                + "停止している時間: " + MailText.span(Duration.between(s.lastContact(), s.at())) + "\n"
                + "ポータルで状態を見る: " + brand.appliancePage(a.id().value()) + "\n\n"
                + todo(brand)
                + "[EN] Appliance " + a.id() + " is still stopped: no contact since " + MailText.time(s.lastContact()) + " JST.\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }

    private static Mail recovered(Brand brand, Recipients to, ApplianceRef a, Notice.Recovered r) {
        String subject = "【復旧】" + brand.serviceName() + " UTM装置の稼働再開のお知らせ（" + label(a) + "）";
        String body = head(brand)
                + "停止をお知らせした UTM 装置からの通信を確認しました。監視を再開しています。\n\n"
                + "UTM 装置: " + a + "\n"
                + "停止前の最終通信: " + MailText.time(r.stoppedSince()) + "（日本時間）\n"
                + "通信の再開を確認: " + MailText.time(r.backAt()) + "（日本時間）\n"
                + "停止していた時間: 約 " + MailText.span(Duration.between(r.stoppedSince(), r.backAt())) + "\n\n"
                + "お客様の操作は不要です。停止中の通信は監視されていないため、気になる点があれば相談窓口にご相談ください。\n"
                + "[EN] Appliance " + a.id() + " is back: contact again at " + MailText.time(r.backAt()) + " JST.\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }

    private static String label(ApplianceRef a) {
        return a.name().isBlank() ? a.id().value() : a.name();
    }

    private static String head(Brand brand) {
        return MailText.head(brand);
    }

    private static String facts(ApplianceRef a, java.time.Instant lastContact, java.time.Instant at) {
        return "UTM 装置: " + a + "\n"
                + "最終通信日時: " + MailText.time(lastContact) + "（日本時間）\n"
                + "確認日時: " + MailText.time(at) + "（日本時間）\n\n";
    }

    private static String todo(Brand brand) {
        return "お客様にお願いしたい対応:\n"
                + "  1. UTM 装置の電源が入っているか（ランプが点灯しているか）をご確認ください。\n"
                + "  2. UTM 装置の LAN ケーブル・WAN ケーブルが抜けていないか、インターネットに接続できるかをご確認ください。\n"
                + "  3. 停電や計画的な停止の場合は、復旧後に電源を入れてください。\n"
                + "  4. 解決しない場合は " + brand.desk() + " までご連絡ください。\n\n";
    }
}
