package org.omamori.edition.matsumoto;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Names;
import org.omamori.api.edition.Terms;
import org.osgi.service.component.annotations.Component;

/**
 * The matsumoto edition: seed 001 (NEC サイバーセキュリティ見守りサービス 仕様書、松本商工会議所向け 1.2). Contact addresses are the
 * examples a distribution replaces with the reseller's own (docs/edition-sdk.md).
 */
@Component(service = Edition.class)
public final class MatsumotoEdition implements Edition {

    private static final Brand BRAND = new Brand(
            new Names("サイバーセキュリティ見守りサービス（松本商工会議所）", "Cyber Security Watch Service (Matsumoto CCI)"),
            new Names("松本商工会議所", "Matsumoto Chamber of Commerce and Industry"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 32\" role=\"img\" aria-label=\"松本商工会議所\">"
                    + "<rect width=\"160\" height=\"32\" rx=\"6\" fill=\"#006934\"/>"
                    + "<rect x=\"6\" y=\"6\" width=\"20\" height=\"20\" rx=\"10\" fill=\"#f39800\"/>"
                    + "<text x=\"92\" y=\"21\" font-size=\"14\" text-anchor=\"middle\" fill=\"#ffffff\">松本</text></svg>",
            new Brand.Colours("#006934", "#f39800"),
            new Brand.Sender("mimamori@matsumoto-cci.example", "松本商工会議所 見守りサービス"),
            new Brand.MailTemplate("松本商工会議所 サイバーセキュリティ見守りサービス（松本商工会議所）をご利用のお客様へ", """
                    本メールに関するお問い合わせは {desk} へお願いいたします。
                    電話 {phone}（{hours}、土日祝日・年末年始を除く） メール {deskMail}
                    このメールは送信専用のアドレスから24時間自動で送信しています。
                    {company} {service}"""),
            Optional.empty(),
            List.of(new Brand.LegalLink("利用規約", "https://matsumoto-cci.example/mimamori/terms")),
            Optional.of("T0000000000002")); // an example number: a distribution carries the reseller's own

    private static final Terms TERMS = new Terms(
            // 001 §7.5: the fee follows the reseller's own terms (none in the seed): each contract gives it; §7.8: no proration.
            new Terms.Billing.MonthlyFromNextMonth(OptionalLong.empty(), Terms.Tax.INCLUDED_10),
            // 001 §7.8: as the NEC specification: no proration, a cancellation runs to the month's end, no refunds.
            new Terms.Contract(Terms.Renewal.MONTHLY, 0, 0, false, false, false, 30, false, List.of()),
            // 001 別紙2: 50,000 JPY × 2 dispatches a year, tax included.
            new Terms.Insurance(50_000, 2, 100_000, 30, true, "★★★のアラートメールから30日以内の駆け付け対応の費用を、1回5万円（税その他一式込み）×2回、保険責任期間1年あたり10万円まで補償", false),
            new Terms.Desk(new Names("松本商工会議所 見守りサービス相談窓口", "Matsumoto CCI help desk"), "0263-00-0000", "desk@matsumoto-cci.example",
                    LocalTime.of(9, 0), LocalTime.of(17, 0), List.of(Terms.ClosedDays.YEAR_END), 4),
            3);

    @Override
    public String id() {
        return "matsumoto";
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
