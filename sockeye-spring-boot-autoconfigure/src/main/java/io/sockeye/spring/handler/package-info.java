/**
 * How annotated handlers are found, registered and invoked: through the bean Spring hands out, with
 * parameters resolved by type. Used by the auto-configuration; public for applications that wire Sockeye
 * without Spring Boot.
 */
package io.sockeye.spring.handler;
