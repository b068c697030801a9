package org.omamori.store;

/**
 * The receipt of one batch (uplink.yaml BatchReceipt).
 *
 * @param received   events in the batch
 * @param stored     events stored by this call (not seen before)
 * @param duplicates events stored before, or repeated within the batch: {@code received - stored}
 */
public record IngestResult(int received, int stored, int duplicates) {
}
