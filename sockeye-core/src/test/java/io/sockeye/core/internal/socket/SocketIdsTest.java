package io.sockeye.core.internal.socket;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SocketIdsTest {

    @Test
    void idsAreTwentyBase64UrlCharactersAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = SocketIds.next();
            assertThat(id).matches("[A-Za-z0-9_-]{20}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
