/**
 * URL filtering by category lists: loading lists in the squidGuard/UT1 layout
 * ({@link org.omamori.engine.urlfilter.CategoryLists}), matching hosts, IP literals and URL
 * prefixes against them, the engine logic ({@link org.omamori.engine.urlfilter.UrlFilter}) and
 * the Squid url_rewrite helper ({@link org.omamori.engine.urlfilter.SquidRewriter}).
 * Plain Java: depends on the engine SPI, the JDK and SLF4J only.
 */
@Version("0.1.0")
@Export
package org.omamori.engine.urlfilter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
