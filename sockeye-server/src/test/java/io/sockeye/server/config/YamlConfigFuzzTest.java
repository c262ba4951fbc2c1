package io.sockeye.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a configuration file holds, loading it gives a configuration or a {@link ConfigException}
 * whose every problem names a key — never another exception — allocating in proportion to the text
 * (SnakeYAML caps aliases and nesting, so no "billion laughs").
 */
class YamlConfigFuzzTest {

    @FuzzTest
    void configuration(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FuzzContract.boundedAllocation(input.length, 256, () -> {
            try {
                Map<Setting, RawValue> values = YamlConfig.values(text, "sockeye.yaml", "sockeye.yaml");
                assertThat(ConfigLoader.resolve(values, warning -> { })).isNotNull();
            } catch (ConfigException e) {
                assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).isNotBlank());
            }
        });
    }
}
