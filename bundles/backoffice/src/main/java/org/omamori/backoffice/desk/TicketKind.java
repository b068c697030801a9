package org.omamori.backoffice.desk;

import java.util.List;

/**
 * What a ticket asks for (docs/desk.md "Ticket kinds"). Requests the seeds route through the desk
 * have their own steps, done by the desk in order before the ticket can be answered in full;
 * the steps that change who may do what start by confirming the requester's identity, because a
 * mail's From can be forged.
 */
public enum TicketKind {
    /** A question. */
    INQUIRY("お問い合わせ", List.of()),
    /** Something does not work: the desk checks the appliance; a fault becomes an RMA. */
    FAULT("故障・不具合のご連絡", List.of("機器の状態確認（ハートビート・ヘルス）")),
    /** One more appliance (000 §7.6). */
    EXTRA_APPLIANCE("UTM装置の追加", List.of("ご本人確認", "見積・契約変更", "機器の発送")),
    /** Company data: name, contact person, department, title, mail, address, phone (000 §7.6). */
    COMPANY_DATA("登録情報の変更", List.of("ご本人確認", "登録情報の更新")),
    /** Another portal account (DOMAIN §4: issued by reseller staff). */
    EXTRA_ACCOUNT("ポータルアカウントの追加", List.of("ご本人確認", "アカウントの発行")),
    /** Two-step verification lost: the account's second factor is reset. */
    TWO_STEP_RESET("二段階認証のリセット", List.of("ご本人確認", "二段階認証のリセット")),
    /** A remote configuration change (Vario: at most 4 a month, done within 5 business days). */
    REMOTE_CHANGE("リモート設定変更", List.of("変更内容の確認", "設定変更の実施")),
    /** An incident after a ★★★ alert: the insurance claim (docs/insurance.md). */
    INSURANCE("駆け付け・保険のご相談", List.of());

    private final String ja;
    private final List<String> steps;

    TicketKind(String ja, List<String> steps) {
        this.ja = ja;
        this.steps = steps;
    }

    /** The kind as customers read it. */
    public String ja() {
        return ja;
    }

    /** The desk's steps, in order (Japanese). */
    public List<String> steps() {
        return steps;
    }
}
