package dev.aimle.api;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Immutable parameters of a provider, by name. Values are numbers, booleans or strings; strings are
 * parsed on access, so configuration from a command line or a JSON file reads the same as
 * configuration from code. Every accessor names the key and the value in its error.
 */
public final class Config {
    private static final Config EMPTY = new Config(Map.of());

    private final Map<String, Object> values;

    private Config(Map<String, ?> values) {
        TreeMap<String, Object> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException(
                        "configuration keys and values must not be null, got " + k + "=" + v);
            }
            copy.put(k, v);
        });
        this.values = Collections.unmodifiableMap(copy);
    }

    /** No parameters. */
    public static Config empty() {
        return EMPTY;
    }

    /** A copy of the given parameters. */
    public static Config of(Map<String, ?> values) {
        return values.isEmpty() ? EMPTY : new Config(values);
    }

    /** One parameter. */
    public static Config of(String key, Object value) {
        return new Config(Map.of(key, value));
    }

    /** The parameters, sorted by key. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** Whether the key is set. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Rejects keys that the owner does not know.
     *
     * @param owner who is being configured, for the message (e.g. {@code "solver 'topk'"})
     * @param known the keys the owner accepts
     */
    public Config requireOnly(String owner, Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(owner + " does not accept parameter '" + key + "'; it accepts "
                        + (known.isEmpty() ? "none" : new TreeSet<>(known)));
            }
        }
        return this;
    }

    /** A required integer. */
    public int getInt(String key) {
        return toInt(key, require(key));
    }

    /** An optional integer. */
    public int getInt(String key, int defaultValue) {
        return has(key) ? getInt(key) : defaultValue;
    }

    /** A required number. */
    public double getDouble(String key) {
        Object v = require(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + key + "' (" + v + ") must be a number", e);
        }
    }

    /** An optional number. */
    public double getDouble(String key, double defaultValue) {
        return has(key) ? getDouble(key) : defaultValue;
    }

    /** A required string. */
    public String getString(String key) {
        return require(key).toString();
    }

    /** An optional string. */
    public String getString(String key, String defaultValue) {
        return has(key) ? getString(key) : defaultValue;
    }

    /** An optional boolean ({@code true}/{@code false}). */
    public boolean getBoolean(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        Object v = values.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("parameter '" + key + "' (" + v + ") must be true or false");
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing parameter '" + key + "'; given " + values.keySet());
        }
        return v;
    }

    private static int toInt(String key, Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l == (int) l) {
                return (int) l;
            }
        } else if (!(v instanceof Number)) {
            try {
                return Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter '" + key + "' (" + v + ") must be an integer", e);
            }
        }
        throw new IllegalArgumentException("parameter '" + key + "' (" + v + ") must be an integer");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
