package io.sockeye.server.http;

import io.sockeye.core.RequestInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRouterTest {

    private final List<String> answered = new ArrayList<>();

    private HttpHandler named(String name) {
        return (ctx, request, info) -> answered.add(name);
    }

    private static RequestInfo get(String path) {
        return new RequestInfo("GET", path, path, Map.of(), Map.of(), "127.0.0.1", false);
    }

    private String route(HttpRouter router, String path) {
        answered.clear();
        boolean handled = router.handle(null, null, get(path));
        assertThat(answered).hasSizeLessThanOrEqualTo(1);
        return handled ? answered.get(0) : "404";
    }

    @Test
    void anExactPathWinsOverAPrefixWhichWinsOverTheCatchAll() {
        HttpRouter router = HttpRouter.builder()
                .exact("/healthz", named("health"))
                .prefix("/api", named("api"))
                .prefix("/api/admin", named("api-admin"))
                .catchAll((ctx, request, info) -> info.path().equals("/index.html") && answered.add("files"))
                .build();
        assertThat(route(router, "/healthz")).isEqualTo("health");
        assertThat(route(router, "/healthz/")).isEqualTo("404");
        assertThat(route(router, "/api")).isEqualTo("api");
        assertThat(route(router, "/api/publish")).isEqualTo("api");
        assertThat(route(router, "/api/admin/x")).as("the longest prefix").isEqualTo("api-admin");
        assertThat(route(router, "/apix")).as("a prefix ends at a slash").isEqualTo("404");
        assertThat(route(router, "/index.html")).isEqualTo("files");
        assertThat(route(router, "/nothing")).isEqualTo("404");
        assertThat(router.routes()).containsExactly("/healthz", "/api/*", "/api/admin/*", "*");
    }

    @Test
    void featuresRegisterTheirRoutesAndNoPathIsClaimedTwice() {
        HttpFeature health = routes -> routes.exact("/healthz", named("health"));
        HttpFeature api = routes -> routes.prefix("/api", named("api"));
        assertThat(route(HttpRouter.of(health, api), "/api/stats")).isEqualTo("api");
        assertThatThrownBy(() -> HttpRouter.of(health, health)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/healthz");
        assertThatThrownBy(() -> HttpRouter.of(api, api)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HttpRouter.builder().prefix("/api/", named("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpRouter.builder().exact("healthz", named("x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
