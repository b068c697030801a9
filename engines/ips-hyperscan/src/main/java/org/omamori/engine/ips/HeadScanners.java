package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.omamori.engine.ips.rules.Buffer;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.MatchListener;
import org.omamori.hyperscan.Scanner;

/**
 * The header databases' scanners of one pooled direction state, each made at its first scan and
 * kept with its scratch until the state is closed. A head is scanned against several databases
 * per exchange (eight on an ordinary GET); borrowing a scratch from each database's pool and
 * holding the database open for each call cost as much as a small scan itself. The bytes are
 * copied into one direct buffer of the state's and scanned there in place, so the scratches
 * keep no staging buffer of their own (64 KiB each).
 *
 * <p>For the buffers whose value most exchanges repeat (method, host, protocol, user agent, status
 * code, server, SNI, ...) the last value scanned and the matches it gave are kept: the same bytes
 * against the same database give the same matches, so they are handed over again without a scan
 * (two of the eight scans of a GET, each a native call and a call back per match, were the
 * method's and the host's).
 */
final class HeadScanners {

    /** Buffers whose value repeats from exchange to exchange; URIs, cookies, whole heads do not. */
    private static final Set<Buffer> REPEATING = EnumSet.of(Buffer.HTTP_METHOD, Buffer.HTTP_HOST, Buffer.HTTP_HOST_RAW,
            Buffer.HTTP_HOST_DOTPREFIX, Buffer.HTTP_PROTOCOL, Buffer.HTTP_USER_AGENT, Buffer.HTTP_ACCEPT,
            Buffer.HTTP_ACCEPT_LANG, Buffer.HTTP_ACCEPT_ENC, Buffer.HTTP_CONNECTION, Buffer.HTTP_CONTENT_TYPE,
            Buffer.HTTP_HEADER_NAMES, Buffer.HTTP_STAT_CODE, Buffer.HTTP_STAT_MSG, Buffer.HTTP_RESPONSE_PROTOCOL,
            Buffer.HTTP_RESPONSE_CONNECTION, Buffer.HTTP_RESPONSE_CONTENT_TYPE, Buffer.HTTP_RESPONSE_HEADER_NAMES,
            Buffer.HTTP_SERVER, Buffer.TLS_SNI, Buffer.TLS_SNI_DOTPREFIX, Buffer.DNS_QUERY, Buffer.DNS_QUERY_DOTPREFIX,
            Buffer.JA3_HASH, Buffer.JA3_STRING, Buffer.JA3S_HASH, Buffer.JA3S_STRING);
    /** Longer values are scanned every time: the copy would cost more than it saves. */
    static final int MAX_KEPT = 256;
    /** Larger buffers (rare: a huge cookie) are staged by the scratch instead, not kept here. */
    private static final int MAX_DIRECT = 64 << 10;
    /** The largest copy of a read-only view kept for the next one (see {@link #heap}). */
    private static final int MAX_KEPT_HEAP = 8 << 10;

    /**
     * Told of every scan of a head buffer or a stream through a Hyperscan database, for
     * diagnostics and the benchmark's exchange baseline, which checks that it scans what the
     * engine scans; null in the engine (one static read per scan).
     */
    static ScanTrace trace;

    /** See {@link #trace}. */
    interface ScanTrace {
        /**
         * {@code database}: the {@link Buffer} of a head buffer's block database, or the {@link Side} of a stream;
         * {@code bytes}: what was scanned, from its position to its limit (read it now); {@code kept}: a head
         * buffer's matches handed over from its last scan of the same bytes instead of a native scan.
         */
        void scanned(Object database, ByteBuffer bytes, boolean kept);
    }

    private final Scanner[] scanners = new Scanner[Buffer.values().length];
    private final Kept[] kept = new Kept[Buffer.values().length];
    /** Where heap bytes are copied to be scanned; grown as needed up to {@link #MAX_DIRECT}. */
    private ByteBuffer direct;
    /** Where a read-only view's bytes are copied for a search in Java ({@link FewLiterals}), grown as needed up to {@link #MAX_DIRECT}. */
    private ByteBuffer heap;
    /**
     * The heap array {@link #direct} holds a copy of from index 0, or null: the request's head
     * buffers are views of one array (method, target, request line, host ...), copied once for all
     * their scans. Forgotten with the inspection ({@link #forget}): an intake may reuse its array.
     */
    private byte[] stagedArray;
    /** Arrays up to this size are copied whole at their first scan; larger ones view by view. */
    static final int STAGE_WHOLE = 4096;

    /** A buffer's last value and the matches its scan gave, in the order given. */
    private static final class Kept implements MatchListener {
        byte[] value;
        boolean valid;
        int count;
        int[] ids = new int[4];
        long[] from = new long[4];
        long[] to = new long[4];
        MatchListener forward;
        boolean stopped;

        @Override
        public boolean onMatch(int id, long start, long end) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                from = Arrays.copyOf(from, count * 2);
                to = Arrays.copyOf(to, count * 2);
            }
            ids[count] = id;
            from[count] = start;
            to[count] = end;
            count++;
            boolean go = forward.onMatch(id, start, end);
            stopped |= !go;
            return go;
        }

        boolean holds(ByteView view) {
            int n = view.length();
            ByteBuffer data = view.data();
            int from = data.arrayOffset() + view.offset();
            return valid && value.length == n && Arrays.equals(data.array(), from, from + n, value, 0, n);
        }
    }

    /** {@link #scan(CompiledRules, Buffer, ByteView, MatchListener)} of {@code data}'s bytes from its position to its limit. */
    void scan(CompiledRules compiled, Buffer buffer, ByteBuffer data, MatchListener listener) {
        scan(compiled, buffer, new ByteView(data, data.position(), data.remaining(), 0), listener);
    }

    /**
     * Scans a whole header buffer against {@code buffer}'s database in {@code compiled} (the rule
     * set whose pooled state this is, always the same one). The view may be a slice of a larger
     * array (the request's buffers share one): match offsets are from the view's first byte.
     */
    void scan(CompiledRules compiled, Buffer buffer, ByteView view, MatchListener listener) {
        int b = buffer.ordinal();
        if (!REPEATING.contains(buffer) || view.length() > MAX_KEPT || !view.data().hasArray()) {
            search(compiled, buffer, view, listener);
            return;
        }
        Kept k = kept[b];
        if (k == null) {
            k = kept[b] = new Kept();
        }
        if (k.holds(view)) {
            if (trace != null && compiled.header(buffer).database() != null) {
                trace.scanned(buffer, view.data().slice(view.offset(), view.length()), true);
            }
            for (int i = 0; i < k.count; i++) {
                if (!listener.onMatch(k.ids[i], k.from[i], k.to[i])) {
                    return; // as the scan would have stopped there
                }
            }
            return;
        }
        k.valid = false; // not kept unless the scan below runs to its end
        k.count = 0;
        k.stopped = false;
        k.forward = listener;
        try {
            search(compiled, buffer, view, k);
        } finally {
            k.forward = null;
        }
        if (!k.stopped) {
            if (k.value == null || k.value.length != view.length()) {
                k.value = new byte[view.length()];
            }
            view.data().get(view.offset(), k.value);
            k.valid = true;
        }
    }

    /** A Hyperscan database through this state's scanner of it; a few contents ({@link FewLiterals}) in Java, on the bytes as they are. */
    private void search(CompiledRules compiled, Buffer buffer, ByteView view, MatchListener listener) {
        HeaderScan h = compiled.header(buffer);
        Database db = h.database();
        if (db == null) {
            ByteBuffer data = view.data();
            int n = view.length();
            if (!data.hasArray() && n <= MAX_DIRECT) {
                // the intake's read-only head as sent (http.header.raw, the request line): one bulk copy, then
                // searched by skipping in the array, not a get() and a look-up per byte (ET's raw response
                // header content starts with a space: a match attempt at every space of the head)
                h.scan(heap(data, view.offset(), n), 0, n, listener);
                return;
            }
            h.scan(data, view.offset(), view.offset() + n, listener);
            return;
        }
        Scanner s = scanners[buffer.ordinal()];
        if (s == null) {
            s = db.scanner();
            scanners[buffer.ordinal()] = s;
        }
        ByteBuffer staged = staged(view);
        if (trace != null) {
            trace.scanned(buffer, staged.duplicate(), false);
        }
        s.scan(staged, listener);
    }

    /** {@code n} bytes of a buffer without a reachable array, from {@code at}, copied to the start of this state's heap array. */
    private ByteBuffer heap(ByteBuffer data, int at, int n) {
        ByteBuffer to = heap;
        if (to == null || to.capacity() < n) {
            to = ByteBuffer.allocate(Math.max(512, Integer.highestOneBit(Math.max(1, n - 1)) << 1));
            if (n <= MAX_KEPT_HEAP) {
                heap = to; // a pooled state keeps an ordinary head's worth, not a rare huge head's
            }
        }
        data.get(at, to.array(), 0, n);
        return to;
    }

    /** The view's bytes as a direct buffer, the same object each time (its address is looked up once per scanner). */
    private ByteBuffer staged(ByteView view) {
        int n = view.length();
        ByteBuffer data = view.data();
        if (data.isDirect() || n > MAX_DIRECT) {
            return data.slice(view.offset(), n);
        }
        if (data.hasArray()) {
            byte[] array = data.array();
            int from = data.arrayOffset() + view.offset();
            if (array == stagedArray) {
                return direct.limit(from + n).position(from); // copied at an earlier scan of this inspection
            }
            if (array.length <= STAGE_WHOLE) {
                room(array.length);
                direct.put(0, array, 0, array.length);
                stagedArray = array;
                return direct.limit(from + n).position(from);
            }
            room(n);
            direct.put(0, array, from, n);
        } else {
            room(n);
            direct.put(0, data, view.offset(), n);
        }
        stagedArray = null;
        return direct.position(0).limit(n);
    }

    /** {@link #direct} with room for {@code n} bytes from index 0, its limit at its capacity. */
    private void room(int n) {
        if (direct == null || direct.capacity() < n) {
            direct = ByteBuffer.allocateDirect(Math.max(512, Integer.highestOneBit(Math.max(1, n - 1)) << 1));
        }
        direct.limit(direct.capacity());
    }

    /** The inspection is over: its arrays may be reused by whoever made them, so none counts as copied. */
    void forget() {
        stagedArray = null;
    }

    /** Gives the scratches back and releases the databases; only with the state's own close. */
    void close() {
        for (int i = 0; i < scanners.length; i++) {
            if (scanners[i] != null) {
                scanners[i].close();
                scanners[i] = null;
            }
            kept[i] = null;
        }
        stagedArray = null;
    }
}
