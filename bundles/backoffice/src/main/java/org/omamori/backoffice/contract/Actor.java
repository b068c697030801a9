package org.omamori.backoffice.contract;

/** Who acts on a contract. */
public enum Actor {
    /** The customer: applies, pays, installs the appliance, cancels. */
    CUSTOMER,
    /** The reseller's staff: approve, record payments, terminate. */
    RESELLER,
    /** The service operator: ships appliances, runs the cloud. */
    OPERATOR,
    /** The platform itself, on a date: the service starts, a period renews, an ended contract's data is erased. */
    SYSTEM
}
