package io.sockeye.server.web;

import io.sockeye.core.RequestInfo;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OriginPolicyTest {

    private static RequestInfo request(String origin, String host, boolean secure) {
        Map<String, String> headers = new HashMap<>();
        if (origin != null) {
            headers.put("origin", origin);
        }
        if (host != null) {
            headers.put("host", host);
        }
        return new RequestInfo("GET", "/socket.io/?EIO=4&transport=polling", "/socket.io/", Map.of(), headers,
                "127.0.0.1", secure);
    }

    @Test
    void byDefaultOnlyTheServersOwnPagesAndNonBrowsersMayConnect() {
        OriginPolicy policy = new OriginPolicy(List.of());

        assertThat(policy.cors()).as("same origin needs no CORS").isNull();
        assertThat(policy.allowed(request(null, "localhost:3000", false))).isTrue();
        assertThat(policy.allowed(request("http://localhost:3000", "localhost:3000", false))).isTrue();
        assertThat(policy.allowed(request("http://LOCALHOST:3000", "localhost:3000", false))).isTrue();
        assertThat(policy.allowed(request("http://localhost:3001", "localhost:3000", false))).isFalse();
        assertThat(policy.allowed(request("http://evil.example", "localhost:3000", false))).isFalse();
        assertThat(policy.allowed(request("null", "localhost:3000", false))).isFalse();
        assertThat(policy.allowRequest().check(request("http://evil.example", "localhost:3000", false))).isEqualTo(OriginPolicy.REJECTED);
    }

    @Test
    void defaultPortsAreImplied() {
        assertThat(OriginPolicy.sameOrigin("https://chat.example", "chat.example", true)).isTrue();
        assertThat(OriginPolicy.sameOrigin("https://chat.example", "chat.example:443", true)).isTrue();
        assertThat(OriginPolicy.sameOrigin("http://chat.example", "chat.example:80", false)).isTrue();
        assertThat(OriginPolicy.sameOrigin("https://chat.example:8443", "chat.example", true)).isFalse();
        // Behind a TLS-terminating proxy the page is https while the hop to us is plain http.
        assertThat(OriginPolicy.sameOrigin("https://chat.example", "chat.example", false)).isTrue();
        assertThat(OriginPolicy.sameOrigin("http://[::1]:3000", "[::1]:3000", false)).isTrue();
        assertThat(OriginPolicy.sameOrigin("http://a.example", null, false)).isFalse();
    }

    @Test
    void listedOriginsGetCorsAndTheServersOwnPagesStillWork() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example.com/", "http://localhost:5173"));

        assertThat(policy.allowed(request("https://app.example.com", "api.example.com", true))).isTrue();
        assertThat(policy.allowed(request("http://localhost:5173", "localhost:3000", false))).isTrue();
        assertThat(policy.allowed(request("https://api.example.com", "api.example.com", true))).isTrue();
        assertThat(policy.allowed(request("https://other.example.com", "api.example.com", true))).isFalse();
        assertThat(policy.cors().allowOrigin().test("https://app.example.com")).isTrue();
        assertThat(policy.cors().allowOrigin().test("https://other.example.com")).isFalse();
        assertThat(policy.cors().wildcard()).isFalse();
    }

    @Test
    void starAllowsEveryOrigin() {
        OriginPolicy policy = new OriginPolicy(List.of("*"));
        assertThat(policy.allowed(request("https://anything.example", "localhost:3000", false))).isTrue();
        assertThat(policy.cors().wildcard()).isTrue();
    }
}
