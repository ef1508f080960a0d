package dev.aimle.estimators.imle;

import dev.aimle.api.Config;
import java.util.Map;

/**
 * Provider keys that were renamed so that each concept has the name of its builder method (the
 * table in the README's estimator section). An old key is refused, not read as an alias: two names
 * for one setting would stay two names, and a refusal that names the new key costs the user one edit.
 */
final class RenamedKeys {
    private RenamedKeys() {}

    /**
     * Refuses a renamed key in {@code config}, naming the key that replaced it with the value given.
     *
     * @param owner e.g. {@code "estimator 'aimle'"}
     * @param renamed old key to new key
     * @throws IllegalArgumentException for the first renamed key present
     */
    static void refuse(String owner, Config config, Map<String, String> renamed) {
        for (Map.Entry<String, Object> entry : config.asMap().entrySet()) {
            String now = renamed.get(entry.getKey());
            if (now != null) {
                throw new IllegalArgumentException(owner + " no longer accepts parameter '" + entry.getKey()
                        + "' (renamed to '" + now + "'). Maybe you meant " + now + "=" + entry.getValue());
            }
        }
    }
}
