package org.omamori.grading;

import java.util.Objects;

import org.omamori.api.engine.Evidence;
import org.omamori.events.Result;

/**
 * What the customer should do about an alert, for the mail: Japanese first (the service
 * language), and an English line for operators.
 *
 * @param ja what to do, in Japanese, naming the host and what it reached
 * @param en the same for operators, in English
 */
public record Advice(String ja, String en) {

    public Advice {
        Objects.requireNonNull(ja, "ja");
        Objects.requireNonNull(en, "en");
    }

    /** The advice for an alert, by its grade and evidence. */
    public static Advice of(Alert alert) {
        String host = alert.host().toString();
        Facts f = alert.facts();
        String target = f.target();
        Evidence ev = f.evidence();
        String scanJa = "ホスト " + host + " でウイルス対策ソフトのフルスキャンを実行してください。";
        String scanEn = "Run a full antivirus scan on host " + host + ".";
        return switch (alert.grade()) {
            case HIGH -> alert.accumulated()
                    ? new Advice("ホスト " + host + " で24時間以内に" + alert.count() + "件の異なる脅威を検知しました。"
                            + "マルウェアに感染している可能性が高いため、ネットワークから切り離し、" + scanJa
                            + "結果を相談窓口にお知らせください。",
                            "Host " + host + " had " + alert.count() + " detections of different kinds within 24 h: likely infected. "
                                    + "Disconnect it from the network. " + scanEn + " Report the result to the support desk.")
                    : new Advice("ホスト " + host + " が不正な通信先 (" + target + ") と通信しています。"
                            + "マルウェアに感染している可能性が高いため、ネットワークから切り離し、" + scanJa
                            + "結果を相談窓口にお知らせください。",
                            "Host " + host + " talks to command and control (" + target + "): likely infected. "
                                    + "Disconnect it from the network. " + scanEn + " Report the result to the support desk.");
            case MEDIUM -> medium(alert, host, target, ev, scanJa, scanEn);
            case LOW -> low(alert, host, target, ev);
            case UNDER_INVESTIGATION -> new Advice("ホスト " + host + " の通信 (" + target + ") を調査中です。"
                    + "調査が完了しましたら結果をメールでお知らせします。それまでは、この通信先へのアクセスやファイルを開くことをお控えください。",
                    "Under investigation: host " + host + " reached " + target
                            + ". A follow-up report will be mailed when the investigation completes.");
            case NONE -> new Advice("対応は不要です。", "No action needed.");
        };
    }

    private static Advice medium(Alert alert, String host, String target, Evidence ev, String scanJa, String scanEn) {
        if (alert.accumulated()) {
            return new Advice("ホスト " + host + " で24時間以内に複数の種類の脅威を検知しました。" + scanJa
                    + "心当たりのないメールやWebサイトを開いていないか確認してください。",
                    "Host " + host + " met several kinds of threat within 24 h. " + scanEn);
        }
        if (ev.equals(Evidence.UNSCANNED)) {
            return new Advice("ホスト " + host + " がウイルス検査できなかったファイル (" + target + ") を受け取りました。"
                    + "このファイルを開かずに削除するか、" + scanJa,
                    "Host " + host + " received a file that could not be scanned (" + target + "). "
                            + "Delete it unopened, or: " + scanEn);
        }
        if (ev.equals(Evidence.EXPLOIT_ATTEMPT)) {
            return new Advice("ホスト " + host + " への攻撃 (" + alert.facts().ruleName() + ") が防御されずに通過しました。"
                    + "OS とソフトウェアを最新の状態に更新し、" + scanJa,
                    "An attack on host " + host + " (" + alert.facts().ruleName() + ") was not blocked. "
                            + "Update its operating system and software. " + scanEn);
        }
        if (ev.equals(Evidence.INFECTION)) {
            return new Advice("ホスト " + host + " に不正な通信先 (" + target + ") からの通信がありました。" + scanJa,
                    "Host " + host + " was contacted by command and control (" + target + "). " + scanEn);
        }
        return new Advice("ホスト " + host + " がマルウェアの可能性があるもの (" + target + ") を受け取りました。"
                + "ダウンロードしたファイルを開かずに削除し、" + scanJa,
                "Host " + host + " received possible malware (" + target + ") unblocked. Delete the download unopened. " + scanEn);
    }

    private static Advice low(Alert alert, String host, String target, Evidence ev) {
        if (ev.equals(Evidence.PHISHING)) {
            boolean blocked = alert.facts().result() != Result.PASS && alert.facts().result() != Result.NOT_SCANNED;
            return new Advice("ホスト " + host + " からフィッシングサイト (" + target + ") へのアクセスを"
                    + (blocked ? "遮断しました。" : "検知しました。")
                    + "このサイトで ID やパスワードを入力した場合は、すぐにパスワードを変更してください。",
                    (blocked ? "Blocked" : "Detected") + " access from host " + host + " to a phishing site (" + target
                            + "). If credentials were entered there, change the password now.");
        }
        if (ev.equals(Evidence.EXPLOIT_ATTEMPT)) {
            return new Advice("ホスト " + host + " への攻撃 (" + alert.facts().ruleName() + ") を防御しました。"
                    + "OS とソフトウェアを最新の状態に保ってください。",
                    "Blocked an attack on host " + host + " (" + alert.facts().ruleName() + "). Keep its software up to date.");
        }
        return new Advice("ホスト " + host + " へのマルウェア (" + alert.facts().ruleName() + ", " + target + ") を"
                + (alert.facts().result() == Result.NEUTRALISE ? "無害化" : "遮断") + "しました。"
                + "念のため、ホスト " + host + " でウイルス対策ソフトのフルスキャンを実行してください。",
                (alert.facts().result() == Result.NEUTRALISE ? "Neutralised" : "Blocked") + " malware ("
                        + alert.facts().ruleName() + ", " + target + ") for host " + host + ". A full antivirus scan is advised.");
    }

    /** The follow-up report's advice: the result of the investigation, then what to do. */
    public static Advice of(Resolution r) {
        return switch (r.outcome()) {
            case BENIGN -> new Advice("調査の結果、ホスト " + r.alert().host() + " の通信 (" + r.alert().facts().target()
                    + ") に問題は見つかりませんでした。対応は不要です。",
                    "Investigation complete: nothing harmful in host " + r.alert().host() + "'s traffic to "
                            + r.alert().facts().target() + ". No action needed.");
            case CONFIRMED -> {
                Advice then = of(r.alert());
                yield new Advice("調査の結果、" + r.alert().grade().mark() + " と判定しました。" + then.ja(),
                        "Investigation complete: graded " + r.alert().grade().labelEn() + " (" + r.alert().grade().stars()
                                + "). " + then.en());
            }
            case STILL_UNDER_INVESTIGATION -> of(r.alert());
        };
    }
}
