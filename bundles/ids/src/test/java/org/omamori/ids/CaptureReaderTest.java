package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.omamori.ids.capture.CaptureException;
import org.omamori.ids.capture.CaptureException.Problem;
import org.omamori.ids.capture.CaptureReader;
import org.omamori.ids.capture.CapturedPacket;

class CaptureReaderTest {

    static CaptureWriter small() {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40000, "198.51.100.9", 80).handshake()
                .client("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n").server("HTTP/1.1 204 No Content\r\n\r\n").close();
        w.add(Frames.udp(Frames.ip("192.168.1.20"), 5353, Frames.ip("192.168.1.1"), 53, Frames.dnsQuery(7, "a.example")));
        return w;
    }

    static List<CapturedPacket> readAll(byte[] file) throws IOException, CaptureException {
        List<CapturedPacket> out = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(file))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                out.add(p);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(CaptureWriter.Format.class)
    void everyFormatAndByteOrderReadsBackTheSamePacketsAndTimes(CaptureWriter.Format format) throws Exception {
        CaptureWriter w = small();
        List<CapturedPacket> read = readAll(w.write(format));
        assertThat(read).hasSize(w.frames().size());
        for (int i = 0; i < read.size(); i++) {
            CapturedPacket p = read.get(i);
            assertThat(p.number()).isEqualTo(i + 1);
            assertThat(p.linkType()).isEqualTo(1);
            assertThat(p.data()).isEqualTo(w.frames().get(i).data());
            assertThat(p.timeNanos()).isEqualTo(w.frames().get(i).timeNanos());
            assertThat(p.cut()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(CaptureWriter.Format.class)
    void aFileCutAnywhereEndsCleanlyAtARecordBoundaryOrWithTruncatedSayingWhere(CaptureWriter.Format format) throws Exception {
        byte[] whole = small().write(format);
        List<Long> recordStarts = new ArrayList<>();
        for (CapturedPacket p : readAll(whole)) {
            recordStarts.add(p.offset());
        }
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            try {
                List<CapturedPacket> read = readAll(part);
                if (!format.name().startsWith("PCAPNG")) {
                    assertThat(recordStarts).as("clean end at byte %d", cut).contains((long) cut);
                }
                assertThat(read.size()).isLessThan(recordStarts.size());
            } catch (CaptureException e) {
                if (cut < 4) {
                    assertThat(e.problem()).isEqualTo(Problem.NOT_A_CAPTURE);
                } else {
                    assertThat(e.problem()).as("cut at %d: %s", cut, e.getMessage()).isEqualTo(Problem.TRUNCATED);
                    assertThat(e.getMessage()).contains("ends at byte " + cut).contains("complete packet(s)");
                    assertThat(e.offset()).isLessThanOrEqualTo(cut);
                }
            }
        }
    }

    @Test
    void aRecordLargerThanTheBoundIsCorruptNotAnAllocation() throws Exception {
        byte[] file = small().write(CaptureWriter.Format.PCAP_MICROS_LE);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 0x7FFF_FFF0); // first record's incl_len
        assertThatThrownBy(() -> readAll(file)).isInstanceOfSatisfying(CaptureException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.CORRUPT);
            assertThat(e.offset()).isEqualTo(24);
            assertThat(e.getMessage()).contains("at byte 24").contains("packet 1 claims 2147483632 captured bytes");
        });
    }

    @Test
    void aPcapngPacketLongerThanItsBlockOrWithAMismatchedTrailerIsCorrupt() throws Exception {
        byte[] file = small().write(CaptureWriter.Format.PCAPNG_BE);
        int epb = firstBlockOfType(file, 6);
        byte[] longer = file.clone();
        ByteBuffer.wrap(longer).putInt(epb + 20, 100_000); // captured length
        assertThatThrownBy(() -> readAll(longer)).isInstanceOfSatisfying(CaptureException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.CORRUPT);
            assertThat(e.offset()).isEqualTo(epb);
            assertThat(e.getMessage()).contains("claims 100000 captured bytes");
        });
        byte[] trailer = file.clone();
        int length = ByteBuffer.wrap(file).getInt(epb + 4);
        ByteBuffer.wrap(trailer).putInt(epb + length - 4, length + 4);
        assertThatThrownBy(() -> readAll(trailer)).isInstanceOfSatisfying(CaptureException.class,
                e -> assertThat(e.getMessage()).contains("block length " + length + " at its start but " + (length + 4)));
        byte[] iface = file.clone();
        ByteBuffer.wrap(iface).putInt(epb + 8, 7);
        assertThatThrownBy(() -> readAll(iface)).isInstanceOfSatisfying(CaptureException.class,
                e -> assertThat(e.getMessage()).contains("names interface 7 but the section describes 2"));
    }

    @Test
    void aSimplePacketBlockIsReadWithTheFirstInterfacesLinkType() throws Exception {
        byte[] frame = small().frames().get(3).data();
        ByteBuffer b = ByteBuffer.allocate(28 + 20 + 16 + ((frame.length + 3) & ~3));
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        b.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0).putInt(20);
        int spbLength = 16 + ((frame.length + 3) & ~3);
        b.putInt(3).putInt(spbLength).putInt(frame.length).put(frame).position(b.position() + ((4 - frame.length % 4) % 4)).putInt(spbLength);
        List<CapturedPacket> read = readAll(b.array());
        assertThat(read).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(frame));
    }

    @Test
    void textAndEmptyFilesAreNotCaptures() {
        assertThatThrownBy(() -> readAll("GET / HTTP/1.1\r\n".getBytes())).isInstanceOfSatisfying(CaptureException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.NOT_A_CAPTURE);
            assertThat(e.getMessage()).contains("begins with 47 45 54 20");
        });
        assertThatThrownBy(() -> readAll(new byte[0])).isInstanceOfSatisfying(CaptureException.class,
                e -> assertThat(e.getMessage()).isEqualTo("the file is empty"));
    }

    @ParameterizedTest
    @EnumSource(value = CaptureWriter.Format.class, names = {"PCAP_NANOS_BE", "PCAPNG_LE"})
    void randomlyDamagedFilesEndInACaptureExceptionOrCleanlyNeverInAnotherException(CaptureWriter.Format format) {
        byte[] whole = small().write(format);
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = whole.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                readAll(damaged);
            } catch (CaptureException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Exception | Error e) {
                fail("damaged file %d threw %s", i, e);
            }
        }
    }

    private static int firstBlockOfType(byte[] file, int type) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int at = 0;
        while (b.getInt(at) != type) {
            at += b.getInt(at + 4);
        }
        return at;
    }
}
