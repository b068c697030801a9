/**
 * A small, allocation-free Java API over Intel Hyperscan, the multi-pattern regular expression
 * matcher the IPS engine runs its rule contents and PCREs on.
 *
 * <h2>Thread safety</h2>
 * <ul>
 * <li>{@link org.omamori.hyperscan.Database} is immutable once compiled and shared by any number of
 * threads. Each database owns a lock-free pool of Hyperscan scratch spaces.</li>
 * <li>{@link org.omamori.hyperscan.Scanner} holds one scratch for its lifetime and is used by one
 * thread at a time (typically one per worker thread). Concurrent calls on one scanner are a
 * programming error Hyperscan cannot detect.</li>
 * <li>{@link org.omamori.hyperscan.Stream} is one direction of one flow; it is used by one thread at a
 * time but may move between threads between calls, as long as the hand-over itself publishes it
 * (an executor, a lock, a volatile write). Each call borrows a scratch from the pool.</li>
 * <li>Match listeners run on the scanning thread, inside the native call. They may scan other
 * databases, must not scan the same scanner or stream again, and should return quickly.</li>
 * </ul>
 *
 * <h2>Lifetime</h2>
 * Everything here is {@link java.lang.AutoCloseable}. A database is reference counted: closing it
 * refuses new scanners and streams, and frees the native database when the last scanner or stream
 * taken from it is closed, so an engine can be swapped while scans are in flight. Streams that are
 * never closed keep their native state and their database alive.
 *
 * <h2>Native code</h2>
 * This package lives in the bundle {@code org.omamori.hyperscan}, which embeds Hyperscan and the
 * JavaCPP runtime privately. A JNI library can be loaded by one class loader only, so this bundle
 * is never hot-swapped; the engines that import this package are.
 */
@Export
@Version("1.0.0")
package org.omamori.hyperscan;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
