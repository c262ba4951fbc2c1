package io.sockeye.server.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * A value as one source wrote it, before parsing: text (environment, flags, YAML scalars), a list of
 * strings (YAML sequences, repeated or comma-separated flags) or a YAML tree (room rules).
 *
 * @param setting the key
 * @param value   a {@link String}, a {@code List<String>} or a {@link JsonNode}
 * @param origin  where it came from, for error messages: {@code --port}, {@code SOCKEYE_PORT},
 *                {@code sockeye.yaml}
 */
public record RawValue(Setting setting, Object value, String origin) {

    public RawValue {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(value, "value");
        if (!(value instanceof String || value instanceof List<?> || value instanceof JsonNode)) {
            throw new IllegalArgumentException("unsupported raw value type " + value.getClass());
        }
    }

    /** The value as text; lists are joined with commas (what the user would have typed). */
    public String text() {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof JsonNode node) {
            return node.isValueNode() ? node.asText() : node.toString();
        }
        return (String) value;
    }

    /** The value as a list: lists as they are, text split at commas (blank items dropped). */
    public List<String> list() {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return List.of(text().split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** For error messages: the key and where its value came from, e.g. {@code port (from --port)}. */
    public String where() {
        return setting.key() + " (from " + origin + ")";
    }

    /** Never shows secrets. */
    @Override
    public String toString() {
        return setting.key() + "=" + (setting.secret() ? "****" : text()) + " (" + origin + ")";
    }
}
