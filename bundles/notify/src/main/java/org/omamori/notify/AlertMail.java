package org.omamori.notify;

import java.util.List;

import org.omamori.grading.Advice;
import org.omamori.grading.Alert;
import org.omamori.grading.Facts;
import org.omamori.grading.Grade;
import org.omamori.grading.Resolution;

/**
 * The important-alert mail (000 §4.3.1) and the follow-up investigation report. Subjects carry
 * the highest stars of the batch; the body lists each alert in Japanese (appliance, host, time,
 * what was seen, what to do) with one English line for operators after it.
 */
public final class AlertMail {

    /** The most alerts one mail lists; the rest are counted and left to the portal. */
    public static final int MAX_LISTED = 30;

    private AlertMail() {
    }

    /**
     * The mail for a batch: {@code 【★★★】サイバーセキュリティお助け隊 重要アラートのお知らせ（3件）}.
     */
    public static Mail compose(Brand brand, Recipients to, AlertBatch batch) {
        List<PendingAlert> alerts = batch.alerts();
        Grade top = batch.highest();
        String subject = "【" + (top == Grade.UNDER_INVESTIGATION ? top.mark() : top.stars()) + "】"
                + brand.serviceName() + " 重要アラートのお知らせ（" + alerts.size() + "件）";
        var b = new StringBuilder();
        b.append(MailText.head(brand))
                .append(opening(top, alerts.size()))
                .append("最も高い重要度: ").append(top == Grade.UNDER_INVESTIGATION ? top.mark() : top.stars() + "(" + top.labelJa() + ")").append('\n');
        int listed = Math.min(alerts.size(), MAX_LISTED);
        for (int i = 0; i < listed; i++) {
            PendingAlert p = alerts.get(i);
            b.append("\n■ アラート ").append(i + 1).append(" / ").append(alerts.size()).append('\n');
            alertBlock(b, p.appliance(), p.alert());
            b.append("ポータルで詳細を見る: ").append(brand.alertPage(p.alert().id().toString())).append('\n');
            Advice advice = Advice.of(p.alert());
            b.append("お客様にお願いしたい対応:\n  ").append(advice.ja()).append('\n');
            if (p.alert().underInvestigation()) {
                b.append("  ※調査中※ このアラートは調査中です。調査が完了しましたら、調査報告をこのメールの宛先にお送りします。\n");
            }
            b.append("[EN] ").append(english(p.alert())).append(' ').append(advice.en()).append('\n');
        }
        if (alerts.size() > listed) {
            b.append("\nほか ").append(alerts.size() - listed).append(" 件のアラートはポータルでご確認ください。\n");
        }
        b.append("\n重要度の目安:\n");
        for (Grade g : List.of(Grade.HIGH, Grade.MEDIUM, Grade.LOW, Grade.UNDER_INVESTIGATION)) {
            b.append("  ").append(g == Grade.UNDER_INVESTIGATION ? "※調査中※" : g.mark()).append(" … ").append(g.meaningJa()).append('\n');
        }
        b.append('\n').append(MailText.footer(brand));
        return brand.mail(to, subject, b.toString());
    }

    /**
     * The first sentences say as much urgency as the highest grade of the batch carries, no more:
     * a mail of ★☆☆ findings (a virus the appliance removed) must not read like an infection.
     */
    static String opening(Grade top, int count) {
        return switch (top) {
            case HIGH -> "お客様のネットワークで、緊急性が高いと判断した通信を " + count + " 件検知しました。\n"
                    + "各アラートの「お客様にお願いしたい対応」に従って、至急作業を実施してください。\n\n";
            case MEDIUM -> "お客様のネットワークで、対応が必要と判断した通信を " + count + " 件検知しました。\n"
                    + "各アラートの「お客様にお願いしたい対応」に従って作業を実施してください。\n\n";
            case UNDER_INVESTIGATION -> "お客様のネットワークで、調査が必要と判断した通信を " + count + " 件検知し、現在調査中です。\n"
                    + "各アラートの「お客様にお願いしたい対応」をご確認ください。調査結果は改めてお知らせします。\n\n";
            default -> "お客様のネットワークで、注意が必要な通信を " + count + " 件検知しました。緊急の対応は必要ありません。\n"
                    + "念のため、各アラートの「お客様にお願いしたい対応」をご確認ください。\n\n";
        };
    }

    /**
     * The follow-up report for an alert that was under investigation (000 §4.3.1 「調査完了後に調査報告結果を
     * … 送信します」): {@code 【調査報告 ★★☆】…} when confirmed, {@code 【調査報告】…} when benign.
     *
     * @throws IllegalArgumentException when the investigation has not ended ({@link Resolution#mails()} false)
     */
    public static Mail followUp(Brand brand, Recipients to, ApplianceRef appliance, Resolution r) {
        if (!r.mails()) {
            throw new IllegalArgumentException("alert " + r.alert().id() + " is still under investigation: no report yet");
        }
        boolean confirmed = r.outcome() == Resolution.Outcome.CONFIRMED;
        String subject = "【調査報告" + (confirmed ? " " + r.alert().grade().stars() : "") + "】" + brand.serviceName()
                + " 調査中アラートの調査結果のお知らせ";
        Advice advice = Advice.of(r);
        var b = new StringBuilder();
        b.append(MailText.head(brand))
                .append("先にお知らせした「※調査中※」のアラートについて、調査が完了しましたのでご報告します。\n\n")
                .append("調査結果: ").append(confirmed ? "脅威を確認しました（" + r.alert().grade().mark() + "）" : "問題は見つかりませんでした")
                .append('\n')
                .append("調査完了日時: ").append(MailText.time(r.at())).append("（日本時間）\n\n")
                .append("■ 対象のアラート\n");
        alertBlock(b, appliance, r.alert());
        b.append("ポータルで詳細を見る: ").append(brand.alertPage(r.alert().id().toString())).append('\n');
        b.append("お客様にお願いしたい対応:\n  ").append(advice.ja()).append('\n')
                .append("[EN] Investigation report for alert ").append(r.alert().id()).append(": ")
                .append(confirmed ? "confirmed, graded " + r.alert().grade().labelEn() : "benign").append(". ")
                .append(advice.en()).append('\n')
                .append('\n').append(MailText.footer(brand));
        return brand.mail(to, subject, b.toString());
    }

    private static void alertBlock(StringBuilder b, ApplianceRef appliance, Alert a) {
        Facts f = a.facts();
        b.append("重要度: ").append(a.grade() == Grade.UNDER_INVESTIGATION ? "※調査中※" : a.grade().stars() + "(" + a.grade().labelJa() + ")").append('\n')
                .append("検知日時: ").append(MailText.time(a.first())).append("（日本時間）");
        if (a.count() > 1) {
            b.append(" ほか ").append(a.count() - 1).append(" 回（最終 ").append(MailText.time(a.last())).append("）");
        }
        b.append('\n')
                .append("UTM 装置: ").append(appliance).append('\n')
                .append("対象の機器: ").append(a.host()).append('\n')
                .append("検知内容: ").append(f.ruleName()).append('\n')
                .append("通信先: ").append(f.target()).append('\n')
                .append("UTM 装置の処理: ").append(result(f)).append('\n');
    }

    private static String result(Facts f) {
        return switch (f.result()) {
            case BLOCK -> "遮断しました";
            case NEUTRALISE -> "無害化しました";
            case PASS -> "通過しました（遮断されていません）";
            case NOT_SCANNED -> "検査できずに通過しました";
            default -> f.result().toString();
        };
    }

    private static String english(Alert a) {
        return (a.grade() == Grade.UNDER_INVESTIGATION ? "Under investigation" : a.grade().labelEn() + " (" + a.grade().stars() + ")")
                + " at " + MailText.time(a.first()) + " JST, host " + a.host() + ": " + a.facts().ruleName() + " -> "
                + a.facts().target() + " (" + a.facts().result() + ").";
    }
}
