package org.omamori.backoffice.edition;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Names;
import org.omamori.api.edition.Terms;

/**
 * The edition of a reseller that has none: the service's generic name, the NEC specification's
 * contract rules (the seeds' common ground) and its insurance, a monthly fee stated per contract.
 * docs/edition-sdk.md "The neutral default".
 */
public final class NeutralEdition implements Edition {

    /** The neutral default's id; no edition bundle may take it. */
    public static final String ID = "default";

    public static final Edition INSTANCE = new NeutralEdition();

    private static final Brand BRAND = new Brand(
            new Names("サイバーセキュリティお助け隊", "Cyber Security Otasuketai"),
            new Names("ご契約の販売店", "your provider"),
            """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 32" role="img" aria-label="お助け隊">\
            <rect width="120" height="32" rx="6" fill="#1f4e79"/>\
            <text x="60" y="21" font-size="14" text-anchor="middle" fill="#ffffff">お助け隊</text></svg>""",
            new Brand.Colours("#1f4e79", "#c00000"),
            new Brand.Sender("noreply@omamori.example", "サイバーセキュリティお助け隊"),
            new Brand.MailTemplate("お客様各位", """
                    ご不明な点は {desk}（{phone}、{hours}）までお問い合わせください。
                    このメールは送信専用です。24時間自動で送信しています。
                    {service}"""),
            Optional.empty(), List.of(), Optional.empty());

    private static final Terms TERMS = new Terms(
            new Terms.Billing.MonthlyFromNextMonth(OptionalLong.empty(), Terms.Tax.INCLUDED_10),
            new Terms.Contract(Terms.Renewal.MONTHLY, 0, 0, false, false, false, 30, false, List.of()),
            new Terms.Insurance(150_000, 2, 300_000, 30, true,
                    "★★★のアラートメールから30日以内の駆け付け対応の費用を、1回15万円（税込）×2回、年間30万円まで補償", false),
            new Terms.Desk(new Names("お助け隊 相談窓口", "Otasuketai help desk"), "0120-000-000", "desk@omamori.example",
                    LocalTime.of(9, 0), LocalTime.of(17, 0), List.of(Terms.ClosedDays.YEAR_END), 4),
            3);

    private NeutralEdition() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Brand brand() {
        return BRAND;
    }

    @Override
    public Terms terms() {
        return TERMS;
    }
}
