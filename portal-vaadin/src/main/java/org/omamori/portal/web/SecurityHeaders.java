package org.omamori.portal.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Security headers on every response (docs/portal.md): a content security policy that allows only
 * the portal's own origin (Vaadin's bootstrap needs inline scripts and styles), no framing, no
 * sniffing, no referrer, and HSTS when the request came over TLS (directly or through a proxy that
 * says so).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders implements Filter {

    static final String CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse r && request instanceof HttpServletRequest q) {
            r.setHeader("Content-Security-Policy", CSP);
            r.setHeader("X-Frame-Options", "DENY");
            r.setHeader("X-Content-Type-Options", "nosniff");
            r.setHeader("Referrer-Policy", "no-referrer");
            r.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
            r.setHeader("Cross-Origin-Opener-Policy", "same-origin");
            if (q.isSecure() || "https".equalsIgnoreCase(q.getHeader("X-Forwarded-Proto"))) {
                r.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
        }
        chain.doFilter(request, response);
    }
}
