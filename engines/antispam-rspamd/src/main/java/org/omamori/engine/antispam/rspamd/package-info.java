/**
 * A small client for rspamd's HTTP protocol (the normal worker's {@code /checkv2} and
 * {@code /ping}): the mail is streamed with chunked transfer coding while it arrives, the reply
 * is read within a byte limit and a deadline and parsed with a bounded JSON reader. Non-blocking
 * sockets under a selector, so neither a daemon that stops reading nor one that never answers
 * can hold the caller past the deadline. No logging.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it cannot bound the size of a reply it reads
 * (a hostile reply would be buffered whole) and streaming a request body from chunks pushed by
 * the pipeline needs a pipe and a second thread per mail.
 */
package org.omamori.engine.antispam.rspamd;
