package dev.aimle.solvers.ilp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IlpProblem: validation, the builder, and the JSON format with its error messages. */
class IlpProblemTest {

    static IlpProblem sample() {
        return IlpProblem.builder("mixed", 6)
                .addConstraint("card", new double[] {1, 1, 1, 1, 1, 1}, IlpProblem.Sense.EQUAL, 3)
                .lessOrEqual(new double[] {2.5, -1, 0, 0.125, 7, 1e-3}, 6.75)
                .addSparse(Map.of(4, -2.0, 1, 3.0), IlpProblem.Sense.GREATER_OR_EQUAL, -1)
                .build();
    }

    @Test
    void jsonRoundTripGivesAnEqualProblem() {
        IlpProblem p = sample();
        String json = p.toJson();
        assertEquals(p, IlpProblem.fromJson(json, "<string>"), json);
        assertEquals(p.hashCode(), IlpProblem.fromJson(json, "<string>").hashCode());
        assertTrue(json.contains("\"coefficients\" : {"), "the sparse row is written sparse: " + json);
        IlpProblem card = IlpProblem.cardinality(50, 10);
        assertEquals(card, IlpProblem.fromJson(card.toJson(), "<string>"));
    }

    @Test
    void fileRoundTrip(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, sample().toJson());
        assertEquals(sample(), IlpProblem.read(file));
    }

    @Test
    void readsTheDocumentedExample() {
        String json = """
                {
                  "name": "knapsack-8",
                  "variables": 8,
                  "constraints": [
                    {"name": "exactly-3", "coefficients": [1, 1, 1, 1, 1, 1, 1, 1], "sense": "==", "rhs": 3},
                    {"coefficients": {"0": 4, "3": 2.5, "7": 1}, "sense": "<=", "rhs": 6}
                  ]
                }""";
        IlpProblem p = IlpProblem.fromJson(json, "example");
        assertEquals("knapsack-8", p.name());
        assertEquals(8, p.variables());
        assertEquals(2, p.constraints().size());
        assertEquals(
                new IlpProblem.Constraint(
                        "", new double[] {4, 0, 0, 2.5, 0, 0, 0, 1}, IlpProblem.Sense.LESS_OR_EQUAL, 6),
                p.constraints().get(1));
        assertEquals("constraint 1 (4 z0 + 2.5 z3 + z7 <= 6)", p.describe(1));
        assertEquals("constraint 0 'exactly-3' (z0 + z1 + z2 + z3 + z4 + z5 + z6 + z7 == 3)", p.describe(0));
        assertTrue(p.isFeasible(new float[] {0, 1, 1, 1, 0, 0, 0, 0}));
        assertFalse(p.isFeasible(new float[] {1, 0, 0, 1, 0, 0, 0, 1}), "4 + 2.5 + 1 > 6");
        assertEquals(
                IlpProblem.builder("none", 3).build(),
                IlpProblem.fromJson("{\"name\": \"none\", \"variables\": 3}", "s"),
                "constraints default to []");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            not json        | {"name": "x", "variables": | f.json: not valid JSON
            top-level array | [1, 2]                      | f.json: the top level must be an object
            missing name    | {"variables": 3}            | f.json: missing field 'name'
            blank name      | {"name": " ", "variables": 3} | f.json: field 'name' must not be blank
            missing n       | {"name": "x"}               | f.json: missing field 'variables'
            n not integer   | {"name": "x", "variables": 2.5} | f.json: field 'variables' must be an integer, got number 2.5
            n zero          | {"name": "x", "variables": 0} | f.json: field 'variables' (0) must be at least 1
            unknown field   | {"name": "x", "variables": 2, "vars": 1} | f.json: unknown field 'vars'; expected [constraints, name, variables]
            constraints obj | {"name": "x", "variables": 2, "constraints": {}} | f.json: field 'constraints' must be an array
            short row       | {"name": "x", "variables": 3, "constraints": [{"coefficients": [1, 2], "sense": "<=", "rhs": 1}]} | f.json: constraints[0].coefficients has 2 entries but 'variables' is 3
            string coef     | {"name": "x", "variables": 2, "constraints": [{"coefficients": [1, "a"], "sense": "<=", "rhs": 1}]} | f.json: field 'constraints[0].coefficients[1]' must be a number, got string "a"
            sparse index    | {"name": "x", "variables": 2, "constraints": [{"coefficients": {"2": 1}, "sense": "<=", "rhs": 1}]} | f.json: constraints[0].coefficients key '2' must be a variable index between 0 and 1
            sparse key      | {"name": "x", "variables": 2, "constraints": [{"coefficients": {"a": 1}, "sense": "<=", "rhs": 1}]} | f.json: constraints[0].coefficients key 'a' must be a variable index
            bad sense       | {"name": "x", "variables": 1, "constraints": [{"coefficients": [1], "sense": "<", "rhs": 1}]} | f.json: constraints[0].sense: sense '<' must be one of "<=", ">=", "=="
            missing sense   | {"name": "x", "variables": 1, "constraints": [{"coefficients": [1], "rhs": 1}]} | f.json: missing field 'constraints[0].sense'
            missing rhs     | {"name": "x", "variables": 1, "constraints": [{"coefficients": [1], "sense": "<="}]} | f.json: missing field 'constraints[0].rhs'
            huge rhs        | {"name": "x", "variables": 1, "constraints": [{"coefficients": [1], "sense": "<=", "rhs": 1e400}]} | f.json: field 'constraints[0].rhs' (
            unknown c field | {"name": "x", "variables": 1, "constraints": [{"coefficients": [1], "sense": "<=", "rhs": 1, "lhs": 0}]} | f.json: unknown field 'constraints[0].lhs'
            duplicate key   | {"name": "x", "name": "y", "variables": 1} | f.json: not valid JSON: Duplicate field 'name'
            """)
    void jsonErrorsNameTheSourceAndTheField(String what, String json, String expectedStart) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> IlpProblem.fromJson(json, "f.json"), what);
        assertTrue(e.getMessage().startsWith(expectedStart), what + ": " + e.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("nope.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IlpProblem.read(file));
        assertEquals("ILP problem file " + file.toAbsolutePath() + " does not exist", e.getMessage());
    }

    @Test
    void constructorValidates() {
        double[] two = {1, 1};
        assertEquals(
                "problem 'p': constraint 1 has 2 coefficients but the problem has 3 variables",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new IlpProblem(
                                        "p",
                                        3,
                                        List.of(
                                                new IlpProblem.Constraint(
                                                        new double[] {1, 1, 1}, IlpProblem.Sense.EQUAL, 1),
                                                new IlpProblem.Constraint(two, IlpProblem.Sense.EQUAL, 1))))
                        .getMessage());
        assertEquals(
                "problem 'p': the number of variables (0) must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> new IlpProblem("p", 0, List.of()))
                        .getMessage());
        assertEquals(
                "problem name must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new IlpProblem(" ", 2, List.of()))
                        .getMessage());
        assertEquals(
                "problem 'p': constraint 0: coefficients[1] is NaN; every coefficient must be finite",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> IlpProblem.builder("p", 2).lessOrEqual(new double[] {1, Double.NaN}, 1))
                        .getMessage());
        assertEquals(
                "problem 'p': constraint 0: rhs is Infinity; it must be finite",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> IlpProblem.builder("p", 2).lessOrEqual(two, Double.POSITIVE_INFINITY))
                        .getMessage());
        assertEquals(
                "problem 'p': constraint 0: variable index 2 must be between 0 and 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> IlpProblem.builder("p", 2).addSparse(Map.of(2, 1.0), IlpProblem.Sense.EQUAL, 1))
                        .getMessage());
        assertEquals(
                "k (9) must be between 0 and n (8)",
                assertThrows(IllegalArgumentException.class, () -> IlpProblem.cardinality(8, 9))
                        .getMessage());
    }

    @Test
    void coefficientsAreCopiedInAndOut() {
        double[] c = {1, 2};
        IlpProblem.Constraint constraint = new IlpProblem.Constraint(c, IlpProblem.Sense.LESS_OR_EQUAL, 2);
        c[0] = 99;
        constraint.coefficients()[1] = 99;
        assertEquals(1, constraint.coefficient(0));
        assertEquals(2, constraint.coefficient(1));
        assertEquals(
                new IlpProblem.Constraint(new double[] {-0.0, 1}, IlpProblem.Sense.EQUAL, -0.0),
                new IlpProblem.Constraint(new double[] {0.0, 1}, IlpProblem.Sense.EQUAL, 0.0),
                "-0.0 is 0.0");
    }

    @Test
    void senseSymbols() {
        assertEquals(IlpProblem.Sense.EQUAL, IlpProblem.Sense.fromSymbol("="));
        for (IlpProblem.Sense s : IlpProblem.Sense.values()) {
            assertEquals(s, IlpProblem.Sense.fromSymbol(s.symbol()));
        }
    }
}
