package io.sockeye.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md lists every key with its flag, environment variable and default. */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everySettingIsDocumentedInItsTableRow() throws IOException {
        String doc = Files.readString(DOC);
        for (Setting s : Settings.ALL) {
            String row = doc.lines()
                    .filter(line -> line.startsWith("| `" + s.key() + "` |"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no table row for " + s.key() + " in " + DOC));
            assertThat(row).as(s.key())
                    .contains("`" + s.flag() + "`", "`" + s.env() + "`")
                    .containsAnyOf("| `" + s.defaultDisplay() + "` |", "| " + s.defaultDisplay() + " |");
        }
    }
}
