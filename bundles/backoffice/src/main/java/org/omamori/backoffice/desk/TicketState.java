package org.omamori.backoffice.desk;

/** Where a ticket stands (docs/desk.md "Tickets"). */
public enum TicketState {
    /** Waiting for the desk: the (first) answer is due. */
    OPEN("受付済み"),
    /** A first answer was given; the full answer takes longer (more than 5 business days). */
    FIRST_ANSWERED("一次回答済み"),
    /** Answered: closes on the customer's word, or by itself 14 days later. */
    ANSWERED("回答済み"),
    /** Closed. */
    CLOSED("完了"),
    /** Refused with the reason (e.g. a fifth remote change in a month). */
    REFUSED("お受けできません");

    private final String ja;

    TicketState(String ja) {
        this.ja = ja;
    }

    public String ja() {
        return ja;
    }

    /** Whether the desk still owes an answer. */
    public boolean waitingForDesk() {
        return this == OPEN || this == FIRST_ANSWERED;
    }
}
