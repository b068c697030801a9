package org.omamori.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

/** Handshake records are counted however the bytes are cut; the first record of another type ends them. */
class TlsRecordsTest {

    static byte[] record(int type, int length) {
        byte[] r = new byte[5 + length];
        r[0] = (byte) type;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (length >> 8);
        r[4] = (byte) length;
        return r;
    }

    @Test
    void handshakeRecordsUpToAChangeCipherSpecWhateverTheChunks() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(record(0x16, 70));
        wire.writeBytes(record(0x16, 700));
        wire.writeBytes(record(0x14, 1)); // ChangeCipherSpec: everything after it is encrypted
        wire.writeBytes(record(0x17, 40));
        byte[] bytes = wire.toByteArray();
        int handshake = 75 + 705 + 5; // with the header of the record that ends them
        for (int chunk : new int[] {1, 3, 5, 7, 100, bytes.length}) {
            TlsRecords records = new TlsRecords();
            int counted = 0;
            for (int at = 0; at < bytes.length; at += chunk) {
                counted += records.handshake(bytes, at, Math.min(chunk, bytes.length - at));
            }
            assertThat(counted).as("chunks of %d", chunk).isEqualTo(handshake);
            assertThat(records.ended()).isTrue();
        }
    }

    @Test
    void bytesThatAreNoTlsEndTheReadingAtTheirFirstFiveAndEndCanBeCalled() {
        TlsRecords notTls = new TlsRecords();
        assertThat(notTls.handshake("GET / HTTP/1.1\r\n".getBytes(), 0, 16)).isEqualTo(5);
        assertThat(notTls.ended()).isTrue();
        TlsRecords cut = new TlsRecords();
        assertThat(cut.handshake(record(0x16, 10), 0, 8)).isEqualTo(8);
        assertThat(cut.ended()).isFalse();
        cut.end();
        assertThat(cut.handshake(record(0x16, 10), 0, 15)).isZero();
    }
}
