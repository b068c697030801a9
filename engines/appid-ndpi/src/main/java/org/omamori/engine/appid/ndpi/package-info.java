/**
 * nDPI 4.2 through a JNI shim kept in this bundle (docs/decisions/0031): the shim opens libndpi
 * with dlopen, a pool of detection modules serves many threads, synthetic IPv4 packets carry
 * what the intakes saw. Not exported.
 */
package org.omamori.engine.appid.ndpi;
