package org.omamori.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;
/**
 * Folds events per window, so a busy office does not send the cloud a record per lookup or per
 * connection (docs/dns-filter.md "Events", docs/spool-and-uplink.md "Application identifications", docs/decisions/0028). Which
 * events are folded, and what makes two of them the same, is the tally's <em>key</em>:
 * {@link #everyFact()} (the DNS filter) or {@link #applications()} (the appliance's sink). An event
 * the key leaves out goes through at once, as it is. Of the events it folds:
 * <ul>
 * <li>an <b>access-log</b> event (an allowed name, an identified application) is counted under its
 *     key — with {@link #everyFact()} the name, the category, the client and every other fact of
 *     the event but its time, id and client port — and
 *     one event per key goes out when the window ends: the first occurrence's event with the
 *     count and the last occurrence's time;</li>
 * <li>a <b>threat</b> event (a blocked name) goes out at once, one per occurrence, for the first
 *     {@linkplain #threatsAlone(int) few} occurrences of its key in a window; the repeats past those
 *     are counted and go out as one event (the first such repeat's, with their count and the last
 *     one's time) when the window ends. A client looping on a blocked name thus gives a few events
 *     a window, not thousands;</li>
 * <li>a system event always goes through as it is.</li>
 * </ul>
 * The keys held are bounded ({@code maxKeys}): when a new key would pass the bound, the blocks of
 * its stripe that were reported and not repeated are forgotten (nothing of them is left to send),
 * and if that is not enough the tallies of the stripe go out at once (early) and it starts afresh;
 * no count is ever dropped. A
 * window that ends is flushed by the thread that next touches its stripe, and by a timer thread
 * ({@link #start}) for the quiet ones; {@link #close} flushes everything. Thread-safe: the keys are
 * spread over stripes, each with its own lock, so the receiving threads rarely meet. With
 * {@link #everyFact()}, an intake that has the inspection rather than its events (the DNS filter)
 * calls {@link #count}: the key ({@link EventFacts}) is looked up before any event is made, and an
 * occurrence of a key held is only counted.
 */
public final class EventTally implements AutoCloseable {

    /** Most stripes; fewer when {@code maxKeys} is small, so the bound is kept exactly. */
    private static final int STRIPES = 16;

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Consumer<List<Event>> out;
    private final Function<Event, ?> keys;
    /** Whether the key is {@link #everyFact()}: then {@link #count} may look a key up before its event is made. */
    private final boolean factKeys;
    private final Stripe[] stripes;
    private final int keysPerStripe;
    private volatile int threatsAlone = 1;
    private volatile Thread timer;
    private volatile boolean closed;

    /**
     * @param window   how long a tally gathers; zero: nothing is folded, every event goes out at once
     * @param maxKeys  distinct keys held at most, all stripes together
     * @param nanoTime the monotonic clock windows are measured on ({@link System#nanoTime} in production)
     * @param out      where events go (the event queue); called outside any lock of this class
     */
    public EventTally(Duration window, int maxKeys, LongSupplier nanoTime, Consumer<List<Event>> out) {
        this(window, maxKeys, nanoTime, everyFact(), out);
    }

    /**
     * @param keys what makes two events the same ({@link #everyFact()}, {@link #applications()});
     *             null for an event that is not folded but goes through at once
     */
    public EventTally(Duration window, int maxKeys, LongSupplier nanoTime, Function<Event, ?> keys,
                      Consumer<List<Event>> out) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative: " + window);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
        }
        this.windowNanos = window.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.out = Objects.requireNonNull(out, "out");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.factKeys = keys == EVERY_FACT;
        int n = Math.min(STRIPES, Integer.highestOneBit(maxKeys));
        this.stripes = new Stripe[n];
        this.keysPerStripe = maxKeys / n;
        long now = nanoTime.getAsLong();
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe(now + windowNanos);
        }
    }

    /** The DNS filter's key: every fact of an event but its id, time, client port and count. */
    public static Function<Event, ?> everyFact() {
        return EVERY_FACT;
    }

    private static final Function<Event, ?> EVERY_FACT = EventFacts::of;

    /**
     * The appliance sink's key: only access-log events of application identification are folded
     * (everything else goes through), one per application, client and window: the application (rule
     * id and name), the client's address and MAC, the zones, the engine and the appliance — not the
     * server address, port or name, nor the engine's confidence, which change from one connection of
     * an application to the next (the folded event carries its first connection's).
     */
    public static Function<Event, ?> applications() {
        return e -> e.kind() == Kind.ACCESS && e.function().equals(SecurityFunction.APPLICATION_IDENTIFICATION)
                ? ApplicationKey.of(e) : null;
    }

    /**
     * How many occurrences of one threat key go out at once, each as its own event, in a window
     * before the rest of that window's repeats are counted into one event (default 1: only the first).
     */
    public EventTally threatsAlone(int perWindow) {
        if (perWindow < 1) {
            throw new IllegalArgumentException("threatsAlone must be positive: " + perWindow);
        }
        this.threatsAlone = perWindow;
        return this;
    }

    /** Starts the thread that flushes windows that ended while no event came; named {@code threadName}. */
    public EventTally start(String threadName) {
        if (windowNanos > 0) {
            timer = Thread.ofPlatform().daemon().name(threadName).start(this::tick);
        }
        return this;
    }

    /** The keys held now, all stripes. */
    public int keys() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    /** Counts one event, or passes it on (see the class comment). */
    public void add(Event e) {
        if (!fold(e)) {
            out.accept(List.of(e));
        }
    }

    /**
     * Counts {@code e} when it is one this tally folds and returns true; otherwise does nothing with
     * it and returns false, so a caller can keep it with others (the key is made once either way).
     */
    public boolean fold(Event e) {
        Object key = windowNanos == 0 || e.kind() == Kind.SYSTEM ? null : keys.apply(e);
        if (key == null) {
            return false;
        }
        Stripe s = stripes[stripeOf(key.hashCode(), stripes.length)];
        List<Event> ready = null;
        long now = nanoTime.getAsLong();
        synchronized (s) {
            if (closed) { // after close's flush (seen under this lock): nothing may stay behind
                ready = add(null, e);
            } else {
                ready = count(s, key, e.kind() == Kind.THREAT, e.time(), e, null, null, 0, now);
            }
        }
        if (ready != null) {
            out.accept(ready);
        }
        return true;
    }

    /**
     * Counts the events of one inspection — those {@code factory.of(request, result, logAccess)}
     * would make — exactly as {@link #add} would count each, but makes an event only when one is
     * needed: a key's first occurrence in a window (an allowed name's event, held for the count; a
     * block's, sent at once), a block's next few that are sent alone ({@link #threatsAlone}), its
     * first folded repeat, or one that goes out at once. An allowed name asked again in the window,
     * or a block repeated past those sent alone, is looked up by its facts
     * ({@link EventFactory#facts}) and only counted: no event, id or key object of its own.
     * With another key than {@link #everyFact()} this is {@code add} of each event.
     */
    public void count(EventFactory factory, InspectionRequest request, PipelineResult result, boolean logAccess) {
        List<EngineResult> results = result.results();
        for (int i = 0; i < results.size(); i++) {
            EngineResult engine = results.get(i);
            if (!EventFactory.says(engine, logAccess)) {
                continue;
            }
            Verdict verdict = engine.verdict();
            count(factory, request, factory.facts(probe(), request, engine, verdict, engine.failed()));
            for (Verdict further : verdict.further()) {
                count(factory, request, factory.facts(probe(), request, engine, further, false));
            }
        }
    }

    /**
     * Facts to look a key up with: the thread's probe, set anew for each occurrence and never held
     * (a key a stripe keeps is its {@link EventFacts#copy}); a fresh object on a virtual thread (a
     * DNS filter's forwards: few, and a probe per virtual thread would be garbage of its own).
     */
    private static EventFacts probe() {
        return Thread.currentThread().isVirtual() ? new EventFacts() : PROBES.get();
    }

    private static final ThreadLocal<EventFacts> PROBES = ThreadLocal.withInitial(EventFacts::new);

    private void count(EventFactory factory, InspectionRequest request, EventFacts facts) {
        Instant time = factory.now();
        int port = request.connection().sourcePort();
        if (!factKeys || windowNanos == 0) {
            add(factory.event(facts, port, time));
            return;
        }
        Stripe s = stripes[stripeOf(facts.hashCode(), stripes.length)];
        List<Event> ready;
        long now = nanoTime.getAsLong();
        synchronized (s) {
            if (closed) {
                ready = add(null, factory.event(facts, port, time));
            } else {
                ready = count(s, facts, facts.kind() == Kind.THREAT, time, null, factory, facts, port, now);
            }
        }
        if (ready != null) {
            out.accept(ready);
        }
    }

    /**
     * Counts one occurrence at {@code time} in its stripe, under the stripe's lock; returns what must
     * go out now, or null. The occurrence's event is {@code given}, or else made from {@code facts}
     * by {@code factory} when (only when) it is needed.
     */
    private List<Event> count(Stripe s, Object key, boolean threat, Instant time, Event given,
                              EventFactory factory, EventFacts facts, int port, long now) {
        List<Event> ready = null;
        if (now - s.windowEnd >= 0) {
            ready = s.drain(null);
            s.windowEnd = nextEnd(s.windowEnd, now);
        }
        TallyTable<Tally> table = threat ? s.blocks : s.tallies;
        Tally t = table.get(key);
        if (t != null && t.full()) {
            ready = t.emit(ready);
            table.remove(key);
            s.counted(t, -1);
            t = null;
        }
        if (t != null) {
            if (t.threat && t.alone < threatsAlone) { // one of the window's first few blocks of this key: reported at once
                t.alone++;
                return add(ready, given != null ? given : factory.event(facts, port, time));
            }
            if (t.first == null) { // a block's first folded repeat: its event stands for the repeats
                t.first = given != null ? given : factory.event(facts, port, time);
            }
            if (t.count == 0) {
                s.counted(t, 1);
            }
            t.add(time);
            return ready;
        }
        if (s.size() >= keysPerStripe) {
            // full: first forget the blocks that were all reported alone (nothing to send), so a
            // stream of different blocked names does not push the allowed names' counts out early;
            // then, if still full, this stripe's tallies go out early: none is lost
            s.forgetAlone();
            if (s.size() >= keysPerStripe) {
                ready = s.drain(ready);
            }
        }
        Object held = facts != null ? facts.copy() : key; // facts: a probe, see probe()
        t = new Tally(held, threat);
        table.putNew(held, t);
        Event e = given != null ? given : factory.event(facts, port, time);
        if (threat) {
            t.alone = 1;
            ready = add(ready, e); // the first block of a window is reported at once
        } else {
            t.first = e;
            t.add(time);
        }
        return ready;
    }

    /** Sends the tallies of every window that has ended by now. */
    public void flushDue() {
        long now = nanoTime.getAsLong();
        for (Stripe s : stripes) {
            List<Event> ready = null;
            synchronized (s) {
                if (now - s.windowEnd >= 0) {
                    ready = s.drain(null);
                    s.windowEnd = nextEnd(s.windowEnd, now);
                }
            }
            if (ready != null) {
                out.accept(ready);
            }
        }
    }

    /** Sends every tally now, whatever its window. */
    public void flushAll() {
        for (Stripe s : stripes) {
            List<Event> ready;
            synchronized (s) {
                ready = s.drain(null);
            }
            if (ready != null) {
                out.accept(ready);
            }
        }
    }

    /** The window end after {@code now}, on the grid of {@code end}. */
    private long nextEnd(long end, long now) {
        long behind = now - end;
        return end + (behind / windowNanos + 1) * windowNanos;
    }

    private void tick() {
        while (!closed) {
            long wait = Long.MAX_VALUE;
            long now = nanoTime.getAsLong();
            for (Stripe s : stripes) {
                synchronized (s) {
                    wait = Math.min(wait, s.windowEnd - now);
                }
            }
            try {
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.SECONDS.toNanos(1)) + 1);
                }
            } catch (InterruptedException x) {
                return;
            }
            if (!closed) {
                flushDue();
            }
        }
    }

    /** Stops the timer and sends every tally: on a clean stop no count is lost. */
    @Override
    public void close() {
        closed = true;
        Thread t = timer;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        flushAll();
    }

    /**
     * The stripe of a key, from the high bits of its mixed hash. Not from the low bits: keys that
     * share a stripe would share those too, and a table indexed by them would crowd them into a
     * sixteenth of its slots (measured with {@code HashMap}: its tree bins of colliding keys were 7 % of
     * the DNS filter's CPU samples). {@link TallyTable} mixes the hash again before it indexes.
     */
    static int stripeOf(int hash, int stripes) {
        long mixed = (hash * 0x9E3779B9) & 0xFFFFFFFFL; // Fibonacci hashing: every bit of the hash moves the high ones
        return (int) ((mixed * stripes) >>> 32);
    }

    private static List<Event> add(List<Event> list, Event e) {
        List<Event> l = list == null ? new ArrayList<>(1) : list; // mostly one event: not the default ten slots
        l.add(e);
        return l;
    }

    /** A lock, the tallies behind it and the end of their window. */
    private static final class Stripe {
        /** The access-log keys' tallies. */
        final TallyTable<Tally> tallies = new TallyTable<>();
        /**
         * The threat keys' tallies. Kept apart so that a full stripe forgets the blocks whose every
         * occurrence went out alone (count zero) by clearing this table, when none of them has been
         * counted ({@link #countedBlocks}): a stream of new blocked names (every block of the DNS
         * benchmark's mix) removed each name's key one by one, 9 % of the receiving threads' samples.
         */
        final TallyTable<Tally> blocks = new TallyTable<>();
        /** Tallies in {@link #blocks} with a count: the repeats past those sent alone. */
        int countedBlocks;
        long windowEnd;

        Stripe(long windowEnd) {
            this.windowEnd = windowEnd;
        }

        int size() {
            return tallies.size() + blocks.size();
        }

        /** A threat's tally got its first count ({@code +1}) or left with its count ({@code -1}). */
        void counted(Tally t, int change) {
            if (t.threat && (change > 0 || t.count > 0)) {
                countedBlocks += change;
            }
        }

        List<Event> drain(List<Event> into) {
            if (tallies.isEmpty() && countedBlocks == 0) {
                blocks.clear();
                return into;
            }
            List<Event> l = into == null ? new ArrayList<>(tallies.size() + countedBlocks) : into;
            tallies.forEachValue(t -> t.emit(l));
            blocks.forEachValue(t -> t.emit(l));
            tallies.clear();
            blocks.clear();
            countedBlocks = 0;
            return l;
        }

        /** Forgets the blocks that were all reported alone (count zero: nothing left to send). */
        void forgetAlone() {
            if (countedBlocks == 0) {
                blocks.clear();
            } else {
                blocks.removeIf(t -> t.count == 0);
            }
        }
    }

    /** One key's occurrences in a window (of a threat: the repeats after those reported alone). */
    private static final class Tally {
        final Object key;
        final boolean threat;
        /** Of a threat: its occurrences this window that went out at once, each alone. */
        int alone;
        Event first;
        Instant last;
        long count;

        Tally(Object key, boolean threat) {
            this.key = key;
            this.threat = threat;
        }

        /** One more occurrence, at {@code time}; {@link #first} is set. */
        void add(Instant time) {
            if (count == 0 || time.isAfter(last)) {
                last = time;
            }
            count++;
        }

        boolean full() {
            return count >= Event.MAX_COUNT;
        }

        List<Event> emit(List<Event> into) {
            if (count == 0) {
                return into; // a threat whose every occurrence was reported alone
            }
            return EventTally.add(into, count == 1 ? first : first.withCount(count, last));
        }
    }
}
