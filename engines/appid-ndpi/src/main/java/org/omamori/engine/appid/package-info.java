/**
 * The application-identification engine: each connection's application as nDPI names it,
 * recorded as a passing finding {@code app:<category>:<slug>}, never blocked. Plain Java over
 * {@link org.omamori.engine.appid.ndpi}; not exported (an engine bundle exports nothing); the
 * command line's IDS replay and the benchmarks use it on the class path.
 */
package org.omamori.engine.appid;
