package io.sockeye.spring.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A namespace as written in an annotation: a plain name ({@code "/chat"}) or a template with variables
 * ({@code "/tenant-{id}"}), which becomes a dynamic namespace matching whole names, each variable one or
 * more characters other than {@code /}.
 */
public final class NamespaceRoute {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private final String template;
    private final Pattern pattern; // null for a plain name
    private final List<String> variables;

    private NamespaceRoute(String template, Pattern pattern, List<String> variables) {
        this.template = template;
        this.pattern = pattern;
        this.variables = variables;
    }

    /** Parses {@code template}; a name without a leading slash gets one, as {@code io.of} does. */
    public static NamespaceRoute parse(String template) {
        String name = template.startsWith("/") ? template : "/" + template;
        Matcher m = VARIABLE.matcher(name);
        List<String> variables = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(name.substring(last, m.start()))).append("(?<").append(m.group(1)).append(">[^/]+)");
            variables.add(m.group(1));
            last = m.end();
        }
        if (variables.isEmpty()) {
            if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
                throw new IllegalArgumentException("namespace " + template + ": variables are written {name}");
            }
            return new NamespaceRoute(name, null, List.of());
        }
        regex.append(Pattern.quote(name.substring(last)));
        return new NamespaceRoute(name, Pattern.compile(regex.toString()), List.copyOf(variables));
    }

    public String template() {
        return template;
    }

    /** Whether this is a dynamic namespace (it has variables). */
    public boolean dynamic() {
        return pattern != null;
    }

    /** The pattern of a dynamic namespace, or {@code null}. */
    public Pattern pattern() {
        return pattern;
    }

    public List<String> variables() {
        return variables;
    }

    /** The variables' values in {@code name}, a namespace this route matches. */
    public Map<String, String> values(String name) {
        if (pattern == null) {
            return Map.of();
        }
        Matcher m = pattern.matcher(name);
        if (!m.matches()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String v : variables) {
            out.put(v, m.group(v));
        }
        return out;
    }

    @Override
    public String toString() {
        return template;
    }
}
