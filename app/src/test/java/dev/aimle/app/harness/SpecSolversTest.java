package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecSolversTest {

    @Test
    void aMissingNameIsTheDefaultAndABlankOneIsRefused() {
        assertEquals("topk", SpecSolvers.name(null, "topk"));
        assertEquals("aimle-ilp:ilp", SpecSolvers.name("aimle-ilp:ilp", "topk"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecSolvers.name(" ", "topk"));
        assertEquals("the solver must be named, got ' '", e.getMessage());
    }

    @Test
    void parametersAreSortedAndKept() {
        Map<String, String> params = SpecSolvers.params(Map.of("b", "2", "a", "1"));
        assertEquals(List.of("a", "b"), List.copyOf(params.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> params.put("c", "3"));
        assertEquals(Map.of(), SpecSolvers.params(null));
    }

    @Test
    void onlyAnotherSolverNamesItselfInTheId() {
        assertEquals("", SpecSolvers.idPart("topk", Map.of(), "topk"));
        assertEquals("_topk", SpecSolvers.idPart("topk", Map.of("k", "3"), "topk"));
        assertEquals("_aimle-ilp-ilp", SpecSolvers.idPart("aimle-ilp:ilp", Map.of(), "topk"));
        assertTrue(SpecSolvers.is("aimle-topk:topk", "topk"));
        assertTrue(SpecSolvers.is("topk", "topk"));
        assertFalse(SpecSolvers.is("ilp", "topk"));
    }

    @Test
    void theFilterEqualsTheDefaultOnly() {
        SpecSolvers.OmitDefault filter = new SpecSolvers.OmitDefault("topk") {};
        assertTrue(filter.equals("topk"));
        assertFalse(filter.equals("ilp"));
        assertEquals("topk".hashCode(), filter.hashCode());
    }
}
