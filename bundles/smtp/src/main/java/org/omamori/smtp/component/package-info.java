/** The SMTP intake as a Declarative Services component: configuration in, a running relay out. Private. */
package org.omamori.smtp.component;
