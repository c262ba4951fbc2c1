package io.sockeye.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the YAML configuration file into raw values. Strict: an unknown key is an error (with the
 * closest known key as a hint), because a misspelt limit that silently keeps its default is worse
 * than a refusal to start.
 *
 * <pre>
 * port: 3000
 * jwt:
 *   secret: "..."
 * limits:
 *   events_per_second: 20
 * rooms:
 *   - pattern: "chat:*"
 *     subscribe: anyone
 * </pre>
 */
public final class YamlConfig {

    private static final YAMLMapper YAML = new YAMLMapper();

    private YamlConfig() {
    }

    /** Parses YAML/JSON text (the file, or a {@code --rooms} value). */
    static JsonNode parse(String text) throws JsonProcessingException {
        return YAML.readTree(text);
    }

    /**
     * Reads {@code file}. The origin of every value is the file name.
     *
     * @throws ConfigException naming {@code config} when the file cannot be read or parsed, or the
     *                         offending key for unknown keys and wrong shapes
     */
    public static Map<Setting, RawValue> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw ConfigException.of(Settings.CONFIG.key(), "cannot read " + file + ": " + describe(e));
        }
        return values(text, file.toString(), file.getFileName().toString());
    }

    /**
     * Reads the text of a configuration file.
     *
     * @param fileName the file as the messages name it
     * @param origin   where every value came from, e.g. the file's name
     * @throws ConfigException as {@link #read(Path)}
     */
    static Map<Setting, RawValue> values(String text, String fileName, String origin) {
        JsonNode root;
        try {
            root = parse(text);
        } catch (JsonProcessingException e) {
            throw ConfigException.of(Settings.CONFIG.key(), fileName + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        Map<Setting, RawValue> values = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return values; // an empty file configures nothing
        }
        if (!root.isObject()) {
            throw ConfigException.of(Settings.CONFIG.key(), fileName + " must hold a mapping of keys to values");
        }
        List<String> problems = new ArrayList<>();
        List<String> groups = Settings.groups();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            walk(values, problems, groups, field.getKey(), field.getValue(), origin);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return values;
    }

    /** A group ({@code jwt}, {@code proxy.connect}) is a mapping of its keys; anything else is one key's value. */
    private static void walk(Map<Setting, RawValue> values, List<String> problems, List<String> groups, String name,
                             JsonNode node, String origin) {
        if (!groups.contains(name)) {
            add(values, problems, name, node, origin);
            return;
        }
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            problems.add(name + ": must be a mapping of keys to values");
            return;
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            walk(values, problems, groups, name + "." + f.getKey(), f.getValue(), origin);
        }
    }

    private static void add(Map<Setting, RawValue> values, List<String> problems, String key, JsonNode node,
                            String origin) {
        Optional<Setting> found = Settings.byKey(key).filter(s -> s != Settings.CONFIG);
        if (found.isEmpty()) {
            problems.add(key + ": unknown key in " + origin + suggestion(key));
            return;
        }
        Setting setting = found.get();
        if (node == null || node.isNull()) {
            return; // "key:" with nothing after it leaves the default
        }
        switch (setting.kind()) {
            case RULES -> values.put(setting, new RawValue(setting, node, origin));
            case LIST -> {
                if (node.isArray()) {
                    List<String> items = new ArrayList<>();
                    for (JsonNode item : node) {
                        if (!item.isValueNode()) {
                            problems.add(key + ": every item must be a string");
                            return;
                        }
                        items.add(item.asText());
                    }
                    values.put(setting, new RawValue(setting, items, origin));
                } else if (node.isValueNode()) {
                    values.put(setting, new RawValue(setting, node.asText(), origin));
                } else {
                    problems.add(key + ": must be a list of strings");
                }
            }
            default -> {
                if (!node.isValueNode()) {
                    problems.add(key + ": must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
                } else {
                    values.put(setting, new RawValue(setting, node.asText(), origin));
                }
            }
        }
    }

    /** {@code " (did you mean 'port'?)"} when a known key is within two edits, else empty. */
    static String suggestion(String key) {
        return closestKey(key).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** The known key within two edits of {@code key}, if any. */
    static Optional<String> closestKey(String key) {
        return Settings.ALL.stream()
                .filter(s -> s != Settings.CONFIG)
                .map(Setting::key)
                .min(Comparator.comparingInt(k -> distance(k, key)))
                .filter(k -> distance(k, key) <= 2);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() != null ? e.getMessage() : type;
        };
    }
}
