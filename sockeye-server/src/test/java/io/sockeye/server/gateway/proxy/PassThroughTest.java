package io.sockeye.server.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PassThroughTest {

    private final AtomicInteger refused = new AtomicInteger();

    @Test
    void onlyAllowListedHeadersPass() {
        PassThrough p = new PassThrough(List.of("x-trace", "accept-language"), List.of());
        assertThat(p.select(Map.of("x-trace", "t1", "authorization", "Bearer x", "x-sockeye-user", "admin"), refused::incrementAndGet))
                .containsExactly(Map.entry("x-trace", "t1"));
        assertThat(refused).hasValue(0);
    }

    @Test
    void valuesWithControlCharactersAreDroppedAndCounted() {
        PassThrough p = new PassThrough(List.of("x-a", "x-b", "x-c", "x-d"), List.of());
        Map<String, String> out = p.select(Map.of("x-a", "one\r\nX-Sockeye-User: admin", "x-b", "nul\0", "x-c", "tab\tok",
                "x-d", "del\u007f"), refused::incrementAndGet);
        assertThat(out).containsExactly(Map.entry("x-c", "tab\tok"));
        assertThat(refused).hasValue(3);
    }

    @Test
    void theCookieListNarrowsTheCookieHeader() {
        PassThrough p = new PassThrough(List.of("cookie"), List.of("session", "lang"));
        assertThat(p.select(Map.of("cookie", "theme=dark; session=abc; lang=en; x=1"), refused::incrementAndGet))
                .containsExactly(Map.entry("cookie", "session=abc; lang=en"));
        assertThat(new PassThrough(List.of(), List.of("session")).select(Map.of("cookie", "other=1"), refused::incrementAndGet))
                .as("no allowed cookie: no cookie header").isEmpty();
        assertThat(new PassThrough(List.of("cookie"), List.of()).select(Map.of("cookie", "a=1; b=2"), refused::incrementAndGet))
                .as("the cookie header allowed as a whole").containsExactly(Map.entry("cookie", "a=1; b=2"));
    }
}
