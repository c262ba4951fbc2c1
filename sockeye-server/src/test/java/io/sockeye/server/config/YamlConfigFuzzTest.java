package io.sockeye.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a configuration file holds, loading it gives a configuration or a {@link ConfigException}
 * whose every problem names a key — never another exception.
 */
class YamlConfigFuzzTest {

    @FuzzTest
    void configuration(byte[] input) {
        try {
            Map<Setting, RawValue> values = YamlConfig.values(new String(input, StandardCharsets.UTF_8),
                    "sockeye.yaml", "sockeye.yaml");
            assertThat(ConfigLoader.resolve(values, warning -> { })).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).isNotBlank());
        }
    }
}
