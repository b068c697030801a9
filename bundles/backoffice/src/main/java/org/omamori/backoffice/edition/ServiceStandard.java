package org.omamori.backoffice.edition;

import java.util.ArrayList;
import java.util.List;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms;
import org.omamori.api.edition.Terms.Billing;
import org.omamori.backoffice.billing.Charge;

/**
 * The national service standard (IPA サイバーセキュリティお助け隊サービス基準, version 2.0) that every
 * edition is registered under, as far as an edition's data can break it: the class-1 price caps and
 * the mandatory on-site dispatch and insurance. 24-hour monitoring is the platform's, not an
 * edition's. docs/edition-sdk.md "Checked on install"; decision 0023 (prices compared without tax).
 */
public final class ServiceStandard {

    /** Class 1: network monitoring at most this many yen a month, tax excluded. */
    public static final long NETWORK_MONTHLY_CAP = 10_000;
    /** Class 1: endpoint protection at most this many yen per device a month, tax excluded. */
    public static final long ENDPOINT_MONTHLY_CAP = 2_000;

    /**
     * A rule an edition breaks or that its data leaves open.
     *
     * @param rule     the rule's id, e.g. {@code STD-PRICE-NETWORK}
     * @param breach   true: the terms break the rule; false: the rule could not be checked from the data
     * @param message  what is wrong, in English for the operator's log
     */
    public record Finding(String rule, boolean breach, String message) {
        @Override
        public String toString() {
            return (breach ? "warning " : "note ") + rule + ": " + message;
        }
    }

    private ServiceStandard() {
    }

    public static List<Finding> check(Edition edition) {
        Terms t = edition.terms();
        List<Finding> findings = new ArrayList<>();
        switch (t.billing()) {
            case Billing.MonthlyFromNextMonth m -> m.monthlyFee().ifPresentOrElse(
                    fee -> network(findings, net(m.tax(), fee), "the monthly fee"),
                    () -> findings.add(new Finding("STD-PRICE-NETWORK", false,
                            "the monthly fee is stated per contract, so the cap of " + NETWORK_MONTHLY_CAP
                                    + " JPY a month (tax excluded) is not checked here")));
            case Billing.AnnualToMarch a -> network(findings, net(a.tax(), Math.max(a.memberFee(), a.nonMemberFee())) / 12,
                    "the annual fee / 12");
            case Billing.PerAppliance p -> {
                network(findings, net(p.tax(), p.monthlyPerAppliance()), "the monthly fee per appliance");
                long endpoint = net(p.tax(), p.monthlyPerPc());
                if (endpoint > ENDPOINT_MONTHLY_CAP) {
                    findings.add(new Finding("STD-PRICE-ENDPOINT", true, "the monthly fee per PC is " + endpoint
                            + " JPY without tax, above the class-1 cap of " + ENDPOINT_MONTHLY_CAP + " JPY"));
                }
            }
        }
        if (!t.insurance().onSiteDispatch()) {
            findings.add(new Finding("STD-DISPATCH", true, "the terms offer no on-site dispatch (駆け付け), which the standard makes mandatory"));
        }
        if (t.insurance().yearlyLimit() == 0 || t.insurance().perDispatch() == 0) {
            findings.add(new Finding("STD-INSURANCE", true,
                    "the terms carry no insurance for the first response to an incident, which the standard makes mandatory"));
        }
        return List.copyOf(findings);
    }

    private static void network(List<Finding> findings, long monthlyNet, String what) {
        if (monthlyNet > NETWORK_MONTHLY_CAP) {
            findings.add(new Finding("STD-PRICE-NETWORK", true, what + " is " + monthlyNet
                    + " JPY a month without tax, above the class-1 cap of " + NETWORK_MONTHLY_CAP + " JPY"));
        }
    }

    private static long net(Terms.Tax tax, long listed) {
        return Charge.Amount.listed(tax, listed).net();
    }
}
