/**
 * A small client for ClamAV's daemon protocol (clamd(8)): {@code PING}, {@code VERSION},
 * {@code RELOAD}, {@code INSTREAM} and {@code FILDES}, in their NUL-terminated {@code z} forms. Plain
 * Java, no dependencies; one log line per client (through {@code System.Logger}) says whether
 * bodies go by FILDES or INSTREAM, and why, and one more each time the path changes (a local
 * socket with a TCP fallback, {@link org.omamori.engine.av.clamd.ClamdAddress#localSocketOr}:
 * TCP while the socket does not connect, the socket again once it does).
 *
 * <h2>FILDES</h2>
 * Over clamd's local socket a body is held in a sealed memory file and passed as a descriptor
 * ({@link org.omamori.engine.av.clamd.DescriptorPassing}); clamd reads it as it reads a path, so
 * neither a socket copy nor clamd's own temporary file is paid. The verdicts are those of
 * INSTREAM (the answer is parsed by the same code); INSTREAM remains the path by TCP, before
 * Java 22, and for a clamd that refuses FILDES.
 *
 * <h2>Why not {@code xyz.capybara:clamav-client}</h2>
 * The product's design card names it; its current release (2.1.2, February 2022) was checked and
 * does not meet the engine's needs:
 * <ul>
 *   <li><b>Pull, not push.</b> Its only stream scan is {@code scan(InputStream)}: it reads the
 *       stream to its end on the calling thread. An inline proxy receives a body chunk by chunk
 *       from the network and must hand each chunk on as it passes; adapting that would need a
 *       pipe and a second thread per scan, or buffering the whole file.</li>
 *   <li><b>No bounded timeouts.</b> Its timeout becomes {@code Socket.setSoTimeout} on a
 *       {@code SocketChannel}, but it reads and writes through the channel, where that timeout
 *       does not apply; a daemon that stops answering (or stops reading) blocks the caller forever.
 *       There is no per-scan deadline.</li>
 *   <li><b>Unbounded replies.</b> It appends the reply until the daemon closes the connection,
 *       with no size limit, and parses loosely.</li>
 *   <li><b>No connection bound or reuse.</b> A new connection per command, plus a hidden
 *       {@code VERSIONCOMMANDS} round trip on first use; nothing limits concurrent connections.</li>
 *   <li><b>Stream limit.</b> It does not count bytes; when clamd's {@code StreamMaxLength} is hit
 *       the caller gets a broken pipe, not "too large".</li>
 *   <li><b>Dependencies.</b> It brings the Kotlin standard library and kotlin-logging.</li>
 * </ul>
 * So the protocol is implemented here directly; it is a few hundred lines.
 *
 * <h2>Model</h2>
 * {@link org.omamori.engine.av.clamd.Clamd} is thread-safe and holds no connection: each
 * {@link org.omamori.engine.av.clamd.StreamScan} is one {@code INSTREAM} on its own loopback
 * connection, taken from a bounded number of slots (a semaphore). Connections are not reused
 * ({@code IDSESSION}): a loopback connect costs tens of microseconds, and sessions would add state
 * that a clamd restart or reload breaks. All I/O is non-blocking under a selector, so connecting,
 * every stalled write and the reply are each bounded in time, and replies are bounded in length.
 *
 * <h2>Retries</h2>
 * None, on purpose. Streamed bodies are not kept, so a scan whose connection breaks after the
 * first byte cannot be replayed here (a held body is re-sent by INSTREAM only when clamd refuses
 * FILDES, or over the TCP fallback when the local socket does not connect); the caller applies
 * its fail policy. {@code RELOAD} needs no
 * retry: scripts/clamd.sh runs clamd with {@code ConcurrentDatabaseReload yes}, which loads the
 * new database beside the old one while scans continue (the tests reload repeatedly under eight
 * concurrent scans and no scan fails). A refused connect is reported at once as
 * {@link org.omamori.engine.av.clamd.ClamdException.Kind#UNREACHABLE}, so a stopped clamd costs
 * the caller microseconds, not a timeout; the next call connects afresh, so a restarted clamd is
 * used again without any action.
 */
package org.omamori.engine.av.clamd;
