package org.omamori.engine.av.clamd;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.engine.av.clamd.ClamdException.Kind;
import org.omamori.engine.av.clamd.DescriptorPassing.Failure;

/**
 * The end of a held scan: {@code FILDES} with the memory file, and clamd's answer read as the
 * answer to {@code INSTREAM} is ({@code fd[N]: OK} is {@code stream: OK}), so both paths give the
 * same verdicts. Failures map to the same kinds as on a stream (unreachable, timeout, connection
 * lost, protocol); only a sign that this clamd does not take FILDES (an {@code ERROR} that is not
 * about the file, or a send the kernel refused) sends the body, and every later one, by INSTREAM.
 *
 * <p>The exchange blocks in native calls, which pin a virtual thread to its carrier for the whole
 * scan (up to the scan timeout; on a 2-core machine two such scans would stop every other virtual
 * thread). So a virtual caller hands it to one of the client's platform threads and parks; a
 * platform caller runs it itself.
 */
final class FildesExchange {

    private static final Pattern FD_REPLY = Pattern.compile("fd\\[[0-9]{1,10}\\]: (.*)", Pattern.DOTALL);

    private FildesExchange() {
    }

    /** clamd's verdict on the held body, or null when it must go by INSTREAM instead. */
    static ScanResult verdict(StreamScan scan, StreamScan.Fildes fildes, ClamdAddress address, ClamdLimits limits)
            throws ClamdException {
        java.nio.file.Path socket = address.socketPath().getPath();
        long timeout = limits.scanTimeout().toNanos();
        String reply;
        try {
            if (Thread.currentThread().isVirtual()) {
                Future<String> exchange = fildes.client().fildesThreads().submit(
                        () -> fildes.held().scan(socket, timeout, ClamdConnection.MAX_REPLY_BYTES));
                reply = await(exchange, fildes, address, timeout);
            } else {
                reply = fildes.held().scan(socket, timeout, ClamdConnection.MAX_REPLY_BYTES);
            }
        } catch (RejectedExecutionException e) {
            throw new ClamdException(Kind.CLOSED, address, "this client is closed (the engine was stopped)", e);
        } catch (Failure f) {
            return failed(f, fildes, address);
        }
        fildes.client().socketWorked(); // clamd answered on the socket: connected
        Matcher m = FD_REPLY.matcher(reply);
        if (m.matches()) {
            if (!ClamdConnection.printableReply(reply)) { // the same check as on a streamed reply
                throw new ClamdException(Kind.PROTOCOL, address, "the reply to FILDES has control or undecodable characters");
            }
            return StreamScan.parse("stream: " + m.group(1), scan.bytesOffered(), address);
        }
        if (reply.endsWith(" ERROR") || reply.equals("UNKNOWN COMMAND")) {
            // Not about the file: e.g. "FILDES: didn't receive file descriptor. ERROR" from a clamd that cannot take it.
            fildes.client().refuseFildes("clamd answered FILDES with '" + cut(reply) + "'");
            return null;
        }
        throw new ClamdException(Kind.PROTOCOL, address, "unexpected answer to FILDES: '" + cut(reply) + "'");
    }

    private static String await(Future<String> exchange, StreamScan.Fildes fildes, ClamdAddress address, long timeout)
            throws ClamdException, Failure {
        try {
            // Connect, send and the reply are each bounded by the timeout in the native calls; this is the backstop.
            return exchange.get(3 * timeout + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Failure f) {
                throw f;
            }
            throw new ClamdException(Kind.PROTOCOL, address, "the FILDES exchange failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            fildes.held().abort();
            throw new ClamdException(Kind.TIMEOUT, address, "no answer to FILDES in time; clamd is overloaded or hung", e);
        } catch (InterruptedException e) {
            fildes.held().abort();
            Thread.currentThread().interrupt();
            throw new ClamdException(Kind.CLOSED, address, "the waiting thread was interrupted", e);
        }
    }

    private static ScanResult failed(Failure f, StreamScan.Fildes fildes, ClamdAddress address) throws ClamdException {
        String what = "FILDES: " + f.getMessage();
        if (f.step == Failure.Step.CONNECT && fildes.client().fallsBack()) {
            fildes.client().socketFailed(f.getMessage()); // absent, refused, not permitted: this body and the next go by TCP
            return null;
        }
        switch (f.step) {
            case CONNECT -> throw new ClamdException(Kind.UNREACHABLE, address, what
                    + "; clamd is not running there (start it: scripts/clamd.sh start), or the socket path is wrong");
            case TIMEOUT -> throw new ClamdException(Kind.TIMEOUT, address, what
                    + "; clamd is overloaded or hung (raise the scan timeout, or scripts/clamd.sh restart)");
            case CLOSED_WITHOUT_REPLY -> throw new ClamdException(Kind.CONNECTION_LOST, address, what
                    + "; it may be restarting or out of resources (see its log)");
            case REPLY_TOO_LONG -> throw new ClamdException(Kind.PROTOCOL, address, what
                    + "; this is not a clamd we can talk to");
            case ABORTED -> throw new ClamdException(Kind.CLOSED, address, "the scan was aborted (closed) before it finished");
            case SEND, SYSTEM -> {
                fildes.client().refuseFildes(what); // the kernel would not pass or seal it: stream instead
                return null;
            }
        }
        throw new AssertionError(f.step);
    }

    private static String cut(String reply) {
        String printable = reply.replaceAll("[\\p{Cntrl}\uFFFD]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }
}
