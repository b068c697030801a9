package org.omamori.spool;

/**
 * What a spool has done since it was opened, and what it holds now.
 *
 * @param spooled     events published
 * @param acked       events acknowledged (sent to the cloud, or quarantined)
 * @param dropped     access-log events dropped to stay within the bound
 * @param quarantined events set aside because the cloud refused them as invalid
 * @param damaged     events skipped, never sent, because their stored record was found damaged
 *                    (failed its length/CRC check) or was not a JSON object while being taken
 * @param pending     events held and not yet acknowledged
 * @param bytes       size of the segment files
 */
public record SpoolCounters(long spooled, long acked, long dropped, long quarantined, long damaged, long pending, long bytes) {
}
