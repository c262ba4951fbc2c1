/**
 * Authentication of connecting sockets: {@link io.sockeye.spring.security.HandshakeAuthenticator} and
 * its Spring Security implementation for bearer tokens; the authenticated principal is what handlers
 * receive as {@code Principal}/{@code Authentication} and what {@code @PreAuthorize} sees.
 */
package io.sockeye.spring.security;
