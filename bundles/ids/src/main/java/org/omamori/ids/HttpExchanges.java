package org.omamori.ids;

import java.util.ArrayDeque;
import java.util.List;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;

/**
 * The exchanges of one HTTP connection in request order, and their reporting: an exchange is
 * handed to the host once its request and response are both done (pipelined requests are answered
 * in order), or when the connection ends with what was seen.
 */
final class HttpExchanges {

    private final SessionHost host;
    private final ReplayCounters counters;
    private final ArrayDeque<HttpExchange> open = new ArrayDeque<>();

    HttpExchanges(SessionHost host, ReplayCounters counters) {
        this.host = host;
        this.counters = counters;
    }

    int size() {
        return open.size();
    }

    /** Opens the request's inspection (none when too many are open) and queues its exchange. */
    HttpExchange open(InspectionRequest request) {
        HttpExchange e = new HttpExchange(request, host.open(request));
        open.addLast(e);
        return e;
    }

    /** The oldest exchange whose response has not come: the one a response answers. */
    HttpExchange firstUnanswered() {
        for (HttpExchange x : open) {
            if (!x.responseDone) {
                return x;
            }
        }
        return null;
    }

    /** An exchange ended by its response alone (a tunnel): reported now, out of order when it must. */
    void answered(HttpExchange e, List<Header> headers) {
        if (e == null) {
            return;
        }
        if (e.inspection != null && !headers.isEmpty()) {
            e.inspection.headers(Direction.RESPONSE, headers);
        }
        e.requestDone = true;
        e.responseDone = true;
        finishDone();
        if (!e.finished) {
            open.remove(e);
            finish(e);
        }
    }

    /** Reports the exchanges at the head of the queue that are complete. */
    void finishDone() {
        while (!open.isEmpty() && open.peekFirst().requestDone && open.peekFirst().responseDone) {
            finish(open.pollFirst());
        }
    }

    /** The connection is over: every exchange still open is reported with what was seen. */
    void close() {
        for (HttpExchange e : open) {
            if (!e.responseDone) {
                counters.httpUnansweredRequests++;
            }
            finish(e);
        }
        open.clear();
    }

    private void finish(HttpExchange e) {
        if (e.finished) {
            return;
        }
        e.finished = true;
        if (e.inspection != null) {
            if (!e.requestDone) {
                e.inspection.endOfBody(Direction.REQUEST);
            }
            host.finish(e.request, e.inspection);
        }
        if (!e.quirks.isEmpty()) {
            host.evasion(e.request, e.quirks);
        }
    }
}
