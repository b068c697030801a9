/**
 * URL filtering by category lists: loading lists in the squidGuard/UT1 layout
 * ({@link org.omamori.engine.urlfilter.CategoryLists}), matching hosts, IP literals and URL
 * prefixes against them, the engine logic ({@link org.omamori.engine.urlfilter.UrlFilter}) and
 * the Squid url_rewrite helper ({@link org.omamori.engine.urlfilter.SquidRewriter}).
 * Plain Java: depends on the engine SPI, the JDK, SLF4J and crawler-commons' Public Suffix List
 * (embedded in the bundle). Not exported in OSGi (an engine
 * bundle exports nothing); the command line and the benchmarks use it on the class path.
 */
package org.omamori.engine.urlfilter;
