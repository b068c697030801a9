/**
 * How far ahead the service announces maintenance and changes, by the editions concerned
 * (docs/notices.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.omamori.backoffice.notice;
