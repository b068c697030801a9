package org.omamori.edition.niigata;

import java.time.LocalTime;
import java.time.MonthDay;
import java.util.List;
import java.util.Optional;

import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Names;
import org.omamori.api.edition.Terms;
import org.osgi.service.component.annotations.Component;

/**
 * The niigata edition: seed 002 (商工会議所サイバーセキュリティお助け隊サービス 利用規約、新潟商工会議所). Contact addresses are the
 * examples a distribution replaces with the reseller's own (docs/edition-sdk.md).
 */
@Component(service = Edition.class)
public final class NiigataEdition implements Edition {

    private static final Brand BRAND = new Brand(
            new Names("商工会議所サイバーセキュリティお助け隊サービス", "Chamber of Commerce Cyber Security Otasuketai Service"),
            new Names("新潟商工会議所", "Niigata Chamber of Commerce and Industry"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 32\" role=\"img\" aria-label=\"新潟商工会議所\">"
                    + "<rect width=\"160\" height=\"32\" rx=\"6\" fill=\"#004ea2\"/>"
                    + "<rect x=\"6\" y=\"6\" width=\"20\" height=\"20\" rx=\"10\" fill=\"#d7000f\"/>"
                    + "<text x=\"92\" y=\"21\" font-size=\"14\" text-anchor=\"middle\" fill=\"#ffffff\">新潟</text></svg>",
            new Brand.Colours("#004ea2", "#d7000f"),
            new Brand.Sender("otasuketai@niigata-cci.example", "新潟商工会議所 お助け隊サービス"),
            new Brand.MailTemplate("新潟商工会議所 商工会議所サイバーセキュリティお助け隊サービスをご利用のお客様へ", """
                    本メールに関するお問い合わせは {desk} へお願いいたします。
                    電話 {phone}（{hours}、土日祝日・年末年始を除く） メール {deskMail}
                    このメールは送信専用のアドレスから24時間自動で送信しています。
                    {company} {service}"""),
            Optional.empty(),
            List.of(new Brand.LegalLink("利用規約", "https://niigata-cci.example/otasuketai/terms"),
                    new Brand.LegalLink("個人情報の取扱い", "https://niigata-cci.example/privacy")),
            Optional.of("T0000000000003")); // an example number: a distribution carries the reseller's own

    private static final Terms TERMS = new Terms(
            // 第4条2, 第13条: 79,200 JPY a year for members, 99,000 for others, tax included; start on the 5th business day
            // of the next month when applied by the 5th; first payment due the 25th (next month's when approved on or after the 15th).
            new Terms.Billing.AnnualToMarch(79_200, 99_000, Terms.Tax.INCLUDED_10, 5, 5, 25, 15),
            // 第12条1: a cancellation 2 months ahead; 第8条: none between approval and start; 第13条: the appliance ships after payment;
            // 第9-10条: suspension 30 days after a notice of unpaid fees; refunds only in the cases below.
            new Terms.Contract(Terms.Renewal.YEARLY_FROM_APRIL, 0, 2, false, true, false, 30, false, List.of(
                    "第11条2: 本サービスを廃止したとき、支払済みの利用料のうち廃止月の翌月以降の分を返金",
                    "第12条4: 機器が設置できない等で利用開始月の翌月15日までに電子メールで申し出たとき、無償期間中は全額、その後は1か月分を控除して返金",
                    "第12条5: サービス内容の変更の通知から2か月以内に解約したとき、解約月の翌月以降の分を返金")),
            // 第4条: NEC 別紙2 (150,000 JPY × 2); a payment before a renewal ends payments until that insurance period ends.
            new Terms.Insurance(150_000, 2, 300_000, 30, true, "★★★のアラートメールの受信から30日以内に、お客様が選んで依頼した駆け付け対応の費用を、1回15万円×2回、保険年度あたり30万円まで補償（契約更新前に支払を受けた場合、その保険期間の終了まで追加の支払なし。従業員・来訪者の私物の機器は対象外）", true),
            new Terms.Desk(new Names("新潟商工会議所 お助け隊サービス相談窓口", "Niigata CCI help desk"), "025-000-0000", "desk@niigata-cci.example",
                    LocalTime.of(9, 0), LocalTime.of(17, 0), List.of(Terms.ClosedDays.YEAR_END, new Terms.ClosedDays(MonthDay.of(8, 15), MonthDay.of(8, 15))), 4),
            3);

    @Override
    public String id() {
        return "niigata";
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
