package org.omamori.events;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Events written as {@link EventCodec}'s JSON straight into one growable byte array, the same
 * bytes as {@link EventCodec#write(Event, JsonGenerator)} (tested byte for byte): the spool frames
 * a batch of events in it. Jackson made a generator, its context and buffers, and a
 * {@code String} for the id, the time and each address for every event; on the DNS filter's event
 * thread that was 70 % of its samples, and the per-batch array was large enough to be a humongous
 * allocation of G1. Text is written as Jackson writes it: UTF-8, {@code "} and {@code \} escaped
 * and every surrogate as {@code \\uXXXX} (an event holds no control character, {@link EventText});
 * a field's text equal to the event before's (a rule name, an engine) is copied from the bytes kept. An event with a year past 9999 (or a control character, which none holds)
 * is written by Jackson into the same array. Not thread-safe: one writer per thread, reused.
 */
public final class EventJson {

    private static final byte[][] PREFIX = prefixes();
    private static final byte[][] KINDS = wires(Kind.values().length, i -> Kind.values()[i].wire());
    private static final byte[][] RESULTS = wires(Result.values().length, i -> Result.values()[i].wire());
    private static final byte[][] LEVELS = wires(org.omamori.api.engine.Level.values().length,
            i -> org.omamori.api.engine.Level.values()[i].name().toLowerCase(java.util.Locale.ROOT));
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private static final int HOST = 11;
    private static final int URL = 12;
    private static final int DNS_NAME = 13;
    /** Longest text whose bytes are kept for the next event. */
    private static final int CACHED = 128;

    private byte[] bytes;
    private int size;
    /** Per field, the last text written and its quoted bytes once it repeated: most fields repeat from event to event. */
    private final String[] lastText = new String[32];
    private final byte[][] lastBytes = new byte[32][];
    /** The last second written and its {@code yyyy-MM-ddTHH:mm:ss}: events of a batch share it. */
    private long second = Long.MIN_VALUE;
    private final byte[] secondText = new byte[19];
    private final OutputStream stream = new OutputStream() {
        @Override
        public void write(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    };

    public EventJson(int capacity) {
        this.bytes = new byte[Math.max(64, capacity)];
    }

    /** The bytes written, valid up to {@link #size()}. The array changes when it grows. */
    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** Cuts what was written back to {@code size} bytes (a refused event, a reused writer). */
    public void truncate(int size) {
        if (size < 0 || size > this.size) {
            throw new IllegalArgumentException("size " + size + " outside 0.." + this.size);
        }
        this.size = size;
    }

    /** Leaves {@code n} bytes for the caller to fill in later (a frame header); returns where they start. */
    public int skip(int n) {
        room(n);
        int at = size;
        size += n;
        return at;
    }

    /** Appends one event as a JSON object. */
    public void write(Event e) {
        int start = size;
        if (plain(e)) {
            try {
                fast(e);
                return;
            } catch (NotPlain x) {
                size = start; // a control character (an event holds none): Jackson decides what to do with it
            }
        }
        try (JsonGenerator g = EventCodec.JSON.createGenerator(stream)) {
            EventCodec.write(e, g);
        } catch (IOException x) {
            size = start;
            throw new UncheckedIOException(x);
        }
    }

    private void fast(Event e) {
        room(1024);
        put((byte) '{');
        field(0);
        uuid(e.id().uuid());
        text(1, e.appliance().value());
        field(2);
        instant(e.time());
        field(3);
        raw(KINDS[e.kind().ordinal()]);
        text(4, e.zones().from().id());
        text(5, e.zones().to().id());
        field(6);
        address(e.source());
        number(7, e.sourcePort());
        field(8);
        address(e.destination());
        number(9, e.destinationPort());
        text(10, e.mac().isEmpty() ? "" : e.mac().get().toString());
        text(11, e.host());
        text(12, e.url());
        text(13, e.dnsName());
        text(14, e.function().id());
        text(15, e.engineId());
        text(16, e.engineVersion());
        text(17, e.ruleId());
        text(18, e.ruleName());
        field(19);
        raw(RESULTS[e.result().ordinal()]);
        field(20);
        raw(LEVELS[e.level().ordinal()]);
        number(21, e.confidence());
        text(22, e.evidence().id());
        text(23, e.note());
        if (e.count() > 1) {
            field(24);
            decimal(e.count());
            field(25);
            instant(e.last());
        }
        room(1);
        put((byte) '}');
    }

    /** True when the event's times are within years 0-9999 and its MAC and IPv6 addresses are ASCII (always, in practice). */
    private static boolean plain(Event e) {
        return fourDigitYear(e.time()) && fourDigitYear(e.last())
                && (e.mac().isEmpty() || ascii(e.mac().get().toString())) && plain(e.source()) && plain(e.destination());
    }

    private static boolean plain(InetAddress a) {
        return a instanceof Inet4Address || ascii(a.getHostAddress());
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** {@link Instant#toString} writes years past 9999 with a sign: left to it. */
    private static boolean fourDigitYear(Instant t) {
        return t.getEpochSecond() >= -62_167_219_200L && t.getEpochSecond() < 253_402_300_800L;
    }

    private void field(int index) {
        raw(PREFIX[index]);
    }

    private void text(int index, String s) {
        field(index);
        // The names and the URL change from one event to the next: never kept.
        boolean keep = index != DNS_NAME && index != HOST && index != URL && s.length() <= CACHED;
        String last = keep ? lastText[index] : null;
        if (last != null && (s == last || s.equals(last))) {
            lastText[index] = s;
            if (lastBytes[index] != null) {
                raw(lastBytes[index]); // the same rule name, engine, note as the event before: copied
                return;
            }
        } else if (keep) {
            lastText[index] = s;
            lastBytes[index] = null; // kept only once the text repeats: a field that changes every time costs no copy
        }
        int start = size;
        int n = s.length();
        room(6 * n + 2);
        // Plain ASCII, the common text, copied in a loop of locals; the first other character
        // goes on in the loop below, which escapes and encodes as before.
        byte[] out = bytes;
        int p = size;
        out[p++] = '"';
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            out[p++] = (byte) c;
        }
        size = p;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c < 0x20) {
                    throw NotPlain.INSTANCE;
                }
                if (c == '"' || c == '\\') {
                    put((byte) '\\');
                }
                put((byte) c);
            } else if (c < 0x800) {
                put((byte) (0xc0 | c >> 6));
                put((byte) (0x80 | c & 0x3f));
            } else if (!Character.isSurrogate(c)) {
                put((byte) (0xe0 | c >> 12));
                put((byte) (0x80 | c >> 6 & 0x3f));
                put((byte) (0x80 | c & 0x3f));
            } else {
                // Jackson writes every surrogate, paired or not, as an escape with upper-case hex.
                put((byte) '\\');
                put((byte) 'u');
                for (int shift = 12; shift >= 0; shift -= 4) {
                    put(UPPER_HEX[c >> shift & 0xf]);
                }
            }
        }
        put((byte) '"');
        if (last != null) {
            lastBytes[index] = Arrays.copyOfRange(bytes, start, size);
        }
    }

    /** Text the fast path leaves to Jackson; thrown without a stack, never for an event made by the constructor. */
    private static final class NotPlain extends RuntimeException {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private void number(int index, int value) {
        field(index);
        decimal(value);
    }

    private void decimal(long value) {
        room(20);
        if (value < 0) {
            put((byte) '-');
            value = -value;
        }
        int end = size + digits(value);
        size = end;
        do {
            bytes[--end] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** As {@link UUID#toString}: lower-case hex, 8-4-4-4-12, quoted. */
    private void uuid(UUID u) {
        room(38);
        put((byte) '"');
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        hex(hi >>> 32, 8);
        put((byte) '-');
        hex(hi >>> 16, 4);
        put((byte) '-');
        hex(hi, 4);
        put((byte) '-');
        hex(lo >>> 48, 4);
        put((byte) '-');
        hex(lo, 12);
        put((byte) '"');
    }

    private void hex(long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            bytes[size + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        size += digits;
    }

    /** As {@link Instant#toString} (ISO-8601, the fraction in groups of three digits, none when zero), quoted. */
    private void instant(Instant t) {
        room(32);
        put((byte) '"');
        long s = t.getEpochSecond();
        if (s != second) {
            byte[] text = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC).toString().getBytes(StandardCharsets.US_ASCII);
            // LocalDateTime leaves out ":00" seconds; ISO_INSTANT always writes them.
            System.arraycopy(text, 0, secondText, 0, 16);
            if (text.length == 16) {
                secondText[16] = ':';
                secondText[17] = '0';
                secondText[18] = '0';
            } else {
                System.arraycopy(text, 16, secondText, 16, 3);
            }
            second = s;
        }
        System.arraycopy(secondText, 0, bytes, size, 19);
        size += 19;
        int nano = t.getNano();
        if (nano != 0) {
            put((byte) '.');
            int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            int v = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
            for (int i = digits - 1; i >= 0; i--) {
                bytes[size + i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            size += digits;
        }
        put((byte) 'Z');
        put((byte) '"');
    }

    private void address(InetAddress a) {
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            room(17);
            put((byte) '"');
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    put((byte) '.');
                }
                decimal(b[i] & 0xff);
            }
            put((byte) '"');
            return;
        }
        String s = a.getHostAddress();
        room(s.length() + 2);
        put((byte) '"');
        for (int i = 0; i < s.length(); i++) {
            put((byte) s.charAt(i));
        }
        put((byte) '"');
    }

    private void raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    private void put(byte b) {
        bytes[size++] = b;
    }

    private void room(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }

    /** {@code ,"name":} for each field (no comma before the first), as Jackson writes them. */
    private static byte[][] prefixes() {
        String[] names = EventCodec.fieldNames();
        byte[][] p = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            p[i] = ((i == 0 ? "" : ",") + "\"" + names[i] + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        return p;
    }

    private static byte[][] wires(int n, java.util.function.IntFunction<String> wire) {
        byte[][] w = new byte[n][];
        for (int i = 0; i < n; i++) {
            w[i] = ("\"" + wire.apply(i) + "\"").getBytes(StandardCharsets.US_ASCII);
        }
        return w;
    }
}
