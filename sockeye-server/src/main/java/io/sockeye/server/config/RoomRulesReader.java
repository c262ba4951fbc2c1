package io.sockeye.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.RoomRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code rooms} list: one rule per room-name pattern.
 *
 * <pre>
 * rooms:
 *   - pattern: "chat:*"          # required; '*' any run of characters, '?' one, '{sub}' the user id
 *     subscribe: anyone          # anyone | authenticated | owner | none   (default none)
 *     publish: authenticated     # same choices                              (default none)
 *     presence: anyone           # who may call `presence`                   (default none)
 *     presence_enabled: true     # send presence:join/leave for these rooms  (default false)
 *     history: 500               # messages kept per room for replay, 0 none (default history.size)
 * </pre>
 *
 * Fields left out deny (permissions are deny-by-default); unknown fields are errors, named
 * {@code rooms[2].publsh}.
 */
final class RoomRulesReader {

    private static final Set<String> FIELDS = Set.of("pattern", "subscribe", "publish", "presence", "presence_enabled",
            "history");

    private RoomRulesReader() {
    }

    /** Rules from a YAML tree, or from YAML/JSON text (environment, {@code --rooms}). */
    static List<RoomRule> read(RawValue raw, List<String> problems) {
        JsonNode node;
        if (raw.value() instanceof JsonNode n) {
            node = n;
        } else {
            try {
                node = YamlConfig.parse(raw.text());
            } catch (JsonProcessingException e) {
                problems.add(raw.where() + ": not a YAML/JSON list of rules: " + e.getOriginalMessage());
                return List.of();
            }
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(raw.where() + ": must be a list of rules like [{pattern: \"chat:*\", subscribe: anyone}]");
            return List.of();
        }
        List<RoomRule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode item : node) {
            String at = "rooms[" + index++ + "]";
            RoomRule rule = rule(item, at, problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return List.copyOf(rules);
    }

    private static RoomRule rule(JsonNode item, String at, List<String> problems) {
        if (!item.isObject()) {
            problems.add(at + ": must be a mapping with at least 'pattern'");
            return null;
        }
        int before = problems.size();
        for (Map.Entry<String, JsonNode> entry : item.properties()) {
            String field = entry.getKey();
            if (!FIELDS.contains(field)) {
                problems.add(at + "." + field + ": unknown field (expected one of pattern, subscribe, publish,"
                        + " presence, presence_enabled, history)");
            }
        }
        JsonNode p = item.get("pattern");
        String pattern = p == null || p.isNull() ? "" : p.asText().trim();
        if (pattern.isEmpty()) {
            problems.add(at + ".pattern: required, e.g. \"chat:*\"");
        } else if (pattern.length() > 200) {
            problems.add(at + ".pattern: longer than 200 characters");
        }
        Access subscribe = access(item, "subscribe", at, problems);
        Access publish = access(item, "publish", at, problems);
        Access presence = access(item, "presence", at, problems);
        boolean presenceEnabled = false;
        JsonNode pe = item.get("presence_enabled");
        if (pe != null && !pe.isNull()) {
            String t = pe.asText().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("yes") || t.equals("on")) {
                presenceEnabled = true;
            } else if (!(t.equals("false") || t.equals("no") || t.equals("off"))) {
                problems.add(at + ".presence_enabled: must be true or false, got '" + pe.asText() + "'");
            }
        }
        Integer history = history(item, at, problems);
        if (problems.size() > before) {
            return null;
        }
        try {
            return new RoomRule(pattern, subscribe, publish, presence, presenceEnabled, history);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage()); // e.g. 'owner' without a {sub} placeholder
            return null;
        }
    }

    /** The rule's {@code history}: null when absent, else an integer from 0 to the maximum of history.size. */
    private static Integer history(JsonNode item, String at, List<String> problems) {
        JsonNode n = item.get("history");
        if (n == null || n.isNull()) {
            return null;
        }
        String t = n.asText().trim();
        if (t.matches("\\d{1,7}") && Integer.parseInt(t) <= RecoverySettings.MAX_HISTORY_SIZE) {
            return Integer.parseInt(t);
        }
        problems.add(at + ".history: must be an integer from 0 (keep none) to " + RecoverySettings.MAX_HISTORY_SIZE
                + ", got '" + n.asText() + "'");
        return null;
    }

    private static Access access(JsonNode item, String field, String at, List<String> problems) {
        JsonNode n = item.get(field);
        if (n == null || n.isNull()) {
            return Access.NONE;
        }
        String t = n.asText().trim().toUpperCase(Locale.ROOT);
        for (Access a : Access.values()) {
            if (a.name().equals(t)) {
                return a;
            }
        }
        problems.add(at + "." + field + ": must be anyone, authenticated, owner or none, got '" + n.asText() + "'");
        return Access.NONE;
    }
}
