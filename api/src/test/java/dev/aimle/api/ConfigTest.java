package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void numbersAndStringsReadTheSame() {
        Config fromCode = Config.of(Map.of("k", 10, "lambda", 0.5, "central", true));
        Config fromText = Config.of(Map.of("k", "10", "lambda", "0.5", "central", "true"));
        assertEquals(10, fromCode.getInt("k"));
        assertEquals(10, fromText.getInt("k"));
        assertEquals(0.5, fromText.getDouble("lambda"));
        assertTrue(fromText.getBoolean("central", false));
        assertEquals(3, Config.empty().getInt("k", 3));
    }

    @Test
    void errorsNameTheKeyAndValue() {
        IllegalArgumentException notInt = assertThrows(
                IllegalArgumentException.class, () -> Config.of("k", "ten").getInt("k"));
        assertEquals("parameter 'k' (ten) must be an integer", notInt.getMessage());
        IllegalArgumentException fractional = assertThrows(
                IllegalArgumentException.class, () -> Config.of("k", 2.5).getInt("k"));
        assertTrue(fractional.getMessage().contains("2.5"));
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class, () -> Config.empty().getInt("k"));
        assertTrue(missing.getMessage().contains("missing parameter 'k'"));
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> Config.of("kk", 1).requireOnly("solver 'topk'", Set.of("k")));
        assertEquals("solver 'topk' does not accept parameter 'kk'; it accepts [k]", unknown.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Config.of("central", "yes").getBoolean("central", false));
    }

    @Test
    void isImmutableValue() {
        assertEquals(Config.of("k", 1), Config.of(Map.of("k", 1)));
        assertFalse(Config.empty().has("k"));
        assertThrows(
                UnsupportedOperationException.class,
                () -> Config.of("k", 1).asMap().put("x", 2));
    }
}
