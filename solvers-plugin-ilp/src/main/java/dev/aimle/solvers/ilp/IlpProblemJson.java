package dev.aimle.solvers.ilp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads and writes the JSON format documented on {@link IlpProblem}. */
final class IlpProblemJson {
    private static final Set<String> PROBLEM_FIELDS = Set.of("name", "variables", "constraints");
    private static final Set<String> CONSTRAINT_FIELDS = Set.of("name", "coefficients", "sense", "rhs");

    /** Configured once, never reconfigured: Jackson mappers are thread-safe after configuration. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private IlpProblemJson() {}

    static IlpProblem parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    source + ": not valid JSON: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr()),
                    e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException(source + ": is empty; expected an ILP problem object");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(
                    source + ": the top level must be an object {\"name\", \"variables\", \"constraints\"}, got "
                            + kind(root));
        }
        requireKnownFields(source, "", root, PROBLEM_FIELDS);
        String name = requireString(source, "name", root.get("name"));
        if (name.isBlank()) {
            throw new IllegalArgumentException(source + ": field 'name' must not be blank");
        }
        int n = requireInt(source, "variables", root.get("variables"));
        if (n < 1) {
            throw new IllegalArgumentException(source + ": field 'variables' (" + n + ") must be at least 1");
        }
        JsonNode constraintsNode = root.get("constraints");
        List<IlpProblem.Constraint> constraints = new ArrayList<>();
        if (constraintsNode != null && !constraintsNode.isNull()) {
            if (!constraintsNode.isArray()) {
                throw new IllegalArgumentException(
                        source + ": field 'constraints' must be an array, got " + kind(constraintsNode));
            }
            for (int j = 0; j < constraintsNode.size(); j++) {
                constraints.add(parseConstraint(source, "constraints[" + j + "]", constraintsNode.get(j), n));
            }
        }
        return new IlpProblem(name, n, constraints);
    }

    private static IlpProblem.Constraint parseConstraint(String source, String path, JsonNode node, int n) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(source + ": " + path
                    + " must be an object {\"coefficients\", \"sense\", \"rhs\"}, got " + kind(node));
        }
        requireKnownFields(source, path + ".", node, CONSTRAINT_FIELDS);
        JsonNode nameNode = node.get("name");
        String name = nameNode == null || nameNode.isNull() ? "" : requireString(source, path + ".name", nameNode);
        double[] coefficients = parseCoefficients(source, path + ".coefficients", node.get("coefficients"), n);
        String senseText = requireString(source, path + ".sense", node.get("sense"));
        IlpProblem.Sense sense;
        try {
            sense = IlpProblem.Sense.fromSymbol(senseText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + path + ".sense: " + e.getMessage(), e);
        }
        double rhs = requireNumber(source, path + ".rhs", node.get("rhs"));
        return new IlpProblem.Constraint(name, coefficients, sense, rhs);
    }

    private static double[] parseCoefficients(String source, String path, JsonNode node, int n) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(source + ": missing field '" + path + "'");
        }
        double[] out = new double[n];
        if (node.isArray()) {
            if (node.size() != n) {
                throw new IllegalArgumentException(
                        source + ": " + path + " has " + node.size() + " entries but 'variables' is " + n
                                + " (use an object {\"index\": coefficient} for sparse rows)");
            }
            for (int i = 0; i < n; i++) {
                out[i] = requireNumber(source, path + "[" + i + "]", node.get(i));
            }
            return out;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                int i;
                try {
                    i = Integer.parseInt(f.getKey().trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            source + ": " + path + " key '" + f.getKey() + "' must be a variable index between 0 and "
                                    + (n - 1),
                            e);
                }
                if (i < 0 || i >= n) {
                    throw new IllegalArgumentException(source + ": " + path + " key '" + f.getKey()
                            + "' must be a variable index between 0 and " + (n - 1));
                }
                out[i] = requireNumber(source, path + "[\"" + f.getKey() + "\"]", f.getValue());
            }
            return out;
        }
        throw new IllegalArgumentException(source + ": " + path + " must be an array of " + n
                + " numbers or an object {\"index\": coefficient}, got " + kind(node));
    }

    private static void requireKnownFields(String source, String prefix, JsonNode node, Set<String> known) {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String f = property.getKey();
            if (!known.contains(f)) {
                throw new IllegalArgumentException(
                        source + ": unknown field '" + prefix + f + "'; expected " + new TreeSet<>(known));
            }
        }
    }

    private static String requireString(String source, String path, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(source + ": missing field '" + path + "'");
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(source + ": field '" + path + "' must be a string, got " + kind(node));
        }
        return node.asText();
    }

    private static int requireInt(String source, String path, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(source + ": missing field '" + path + "'");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(source + ": field '" + path + "' must be an integer, got " + kind(node));
        }
        return node.intValue();
    }

    private static double requireNumber(String source, String path, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(source + ": missing field '" + path + "'");
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException(source + ": field '" + path + "' must be a number, got " + kind(node));
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(
                    source + ": field '" + path + "' (" + node + ") must be a finite number");
        }
        return v;
    }

    private static String kind(JsonNode node) {
        String text = node.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + text;
    }

    static String write(IlpProblem problem) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("name", problem.name());
        root.put("variables", problem.variables());
        ArrayNode constraints = root.putArray("constraints");
        for (IlpProblem.Constraint c : problem.constraints()) {
            ObjectNode node = constraints.addObject();
            if (!c.name().isEmpty()) {
                node.put("name", c.name());
            }
            int nonZero = 0;
            for (int i = 0; i < c.size(); i++) {
                nonZero += c.coefficient(i) != 0 ? 1 : 0;
            }
            if (2 * nonZero < c.size()) {
                ObjectNode sparse = node.putObject("coefficients");
                for (int i = 0; i < c.size(); i++) {
                    if (c.coefficient(i) != 0) {
                        putNumber(sparse, Integer.toString(i), c.coefficient(i));
                    }
                }
            } else {
                ArrayNode dense = node.putArray("coefficients");
                for (int i = 0; i < c.size(); i++) {
                    addNumber(dense, c.coefficient(i));
                }
            }
            node.put("sense", c.sense().symbol());
            putNumber(node, "rhs", c.rhs());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write problem '" + problem.name() + "' as JSON", e);
        }
    }

    private static boolean isSmallInteger(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0);
    }

    private static void putNumber(ObjectNode node, String field, double v) {
        if (isSmallInteger(v)) {
            node.put(field, (long) v);
        } else {
            node.put(field, v);
        }
    }

    private static void addNumber(ArrayNode node, double v) {
        if (isSmallInteger(v)) {
            node.add((long) v);
        } else {
            node.add(v);
        }
    }
}
