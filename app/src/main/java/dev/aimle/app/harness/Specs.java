package dev.aimle.app.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Specs as JSON: records written and read by Jackson, properties sorted by name (the order of the
 * {@code spec.json} files written before), unknown properties refused (so that one experiment's
 * spec is never read as another's), and no number that is not finite.
 */
public final class Specs {
    /** The property of {@code spec.json} that names the experiment (absent in run directories of 0.2). */
    public static final String EXPERIMENT = "experiment";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
            .build();

    private Specs() {}

    /**
     * The spec as a JSON object, sorted by property.
     *
     * @throws IllegalArgumentException naming a number that is not finite
     */
    public static ObjectNode toTree(Object spec) {
        ObjectNode tree = JSON.valueToTree(spec);
        requireFinite(tree, "");
        return tree;
    }

    /**
     * The spec of a JSON object ({@link #EXPERIMENT} ignored).
     *
     * @throws IllegalArgumentException saying what does not fit, without parser internals
     */
    public static <S> S fromTree(JsonNode tree, Class<S> type) {
        ObjectNode copy = tree.deepCopy();
        copy.remove(EXPERIMENT);
        try {
            return JSON.treeToValue(copy, type);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(reason(e));
        }
    }

    /**
     * A number of a spec as run ids, labels and tables write it: a whole number without a decimal
     * point ({@code 10}, not {@code 10.0}), any other as Java writes a double ({@code 0.5}).
     */
    public static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** The same spec with one property replaced (validated again by the record). */
    public static <S> S with(S spec, String property, Object value) {
        @SuppressWarnings("unchecked")
        Class<S> type = (Class<S>) spec.getClass();
        ObjectNode tree = toTree(spec);
        tree.set(property, JSON.valueToTree(value));
        return fromTree(tree, type);
    }

    /**
     * What differs between two specs, e.g. {@code learningRate: 0.001 there, 0.002 here}; empty when
     * nothing does but {@code ignored}.
     */
    public static List<String> differences(JsonNode there, JsonNode here, Iterable<String> ignored) {
        TreeSet<String> names = new TreeSet<>();
        there.fieldNames().forEachRemaining(names::add);
        here.fieldNames().forEachRemaining(names::add);
        ignored.forEach(names::remove);
        names.remove(EXPERIMENT);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            JsonNode a = there.get(name);
            JsonNode b = here.get(name);
            if (a == null || b == null || !a.equals(b)) {
                out.add(name + ": " + (a == null ? "absent" : a.toString()) + " there, "
                        + (b == null ? "absent" : b.toString()) + " here");
            }
        }
        return out;
    }

    /** One line of what was wrong, without Jackson's class names and source locations. */
    static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null
                && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().contains("(for Object starting at"))) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof com.fasterxml.jackson.core.JsonProcessingException p) {
            message = p.getOriginalMessage();
        }
        int cut = message.indexOf(" (class ");
        message = cut > 0 ? message.substring(0, cut) : message;
        cut = message.indexOf("\n");
        return (cut > 0 ? message.substring(0, cut) : message).strip();
    }

    private static void requireFinite(JsonNode node, String path) {
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException(path + " (" + node.doubleValue() + ") must be a finite number");
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                requireFinite(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireFinite(node.get(i), path + "[" + i + "]");
            }
        }
    }
}
