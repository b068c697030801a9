package org.omamori.backoffice.contract;

/** Where a contract stands (docs/contracts.md "States"). */
public enum ContractState {
    /** Applied for; the reseller decides. */
    APPLIED("申込受付"),
    /** Approved: the contract is formed when the approval mail is sent. */
    APPROVED("承認済み（契約成立）"),
    /** Paid where the terms require payment before the appliance ships. */
    PAID("入金確認済み"),
    /** The appliance is on its way or waits to be installed. */
    SHIPPED("機器発送済み"),
    /** The appliance is activated; the service starts on the start date. */
    ACTIVATED("機器設置済み（利用開始待ち）"),
    /** In service. */
    ACTIVE("利用中"),
    /** Suspended (unpaid fees, or on request where the terms allow it). */
    SUSPENDED("利用停止中"),
    /** Cancelled or terminated: in service until its end date. */
    ENDING("解約手続き中"),
    /** Ended (or refused before it was formed): the customer's data is erased. */
    ENDED("終了");

    private final String ja;

    ContractState(String ja) {
        this.ja = ja;
    }

    /** The state as customers and staff read it. */
    public String ja() {
        return ja;
    }
}
