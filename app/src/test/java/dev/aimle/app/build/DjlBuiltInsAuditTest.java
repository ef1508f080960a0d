package dev.aimle.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The audit of DJL's own classes with the class-file check the build runs on ours ({@link
 * GraphSafeScalarsTest}): which classes of the DJL jars we pin ({@code ai.djl:api} and {@code
 * ai.djl.pytorch:pytorch-engine}) call a number overload whose scalar autograd keeps ({@code
 * NDArray.mul(Number)} and the like). The lists below are what the README's "DJL's built-ins" table
 * says; a DJL upgrade that changes them fails this test, so the table is re-checked then.
 *
 * <p>Only calls made while autograd records matter: a loss's or a block's forward pass. Optimisers
 * and initialisers run outside the gradient collector (their scalars are never kept), and so do
 * translators and evaluators.
 */
class DjlBuiltInsAuditTest {

    /**
     * Every DJL class (api 0.36.0, pytorch-engine 0.36.0) that calls such an overload, with the
     * operations it calls. In the graph (affected): the losses and {@code Bert*} blocks,
     * {@code Activation.relu6} (minimum), {@code NDArrayEx.swish} (Activation.swish),
     * {@code NDArray.scaleGradient}. Outside it (not affected): the translators, {@code QAgent},
     * {@code MinMaxScaler}, {@code BaseNDManager}, {@code NDArrayEx.toTensor}, {@code
     * PtNDArray.gatherNd}'s index arithmetic, and {@code NDArrays}/{@code NDArrayAdapter}/{@code
     * PtNDArray}, which only forward the call. No optimiser and no initialiser calls one.
     */
    static final Map<String, Set<String>> AUDITED = new TreeMap<>(Map.ofEntries(
            Map.entry("ai.djl.modality.cv.translator.BaseImageTranslator$BaseBuilder", Set.of("div")),
            Map.entry("ai.djl.modality.cv.translator.BigGANTranslator", Set.of("muli")),
            Map.entry("ai.djl.modality.cv.translator.SimplePoseTranslator", Set.of("div")),
            Map.entry("ai.djl.modality.cv.translator.StyleTransferTranslator", Set.of("muli")),
            Map.entry("ai.djl.modality.cv.translator.YoloTranslator", Set.of("div")),
            Map.entry("ai.djl.modality.cv.translator.YoloV5Translator$Builder", Set.of("div")),
            Map.entry("ai.djl.modality.cv.translator.YoloV8Translator$Builder", Set.of("div")),
            Map.entry("ai.djl.modality.nlp.generate.StepGeneration", Set.of("muli")),
            Map.entry("ai.djl.modality.nlp.translator.SimpleText2TextTranslator", Set.of("mul")),
            Map.entry("ai.djl.modality.rl.agent.QAgent", Set.of("mul")),
            Map.entry("ai.djl.ndarray.BaseNDManager", Set.of("muli")),
            Map.entry("ai.djl.ndarray.NDArray", Set.of("mul")),
            Map.entry("ai.djl.ndarray.NDArrayAdapter", Set.of("div", "maximum", "minimum", "mul", "pow")),
            Map.entry(
                    "ai.djl.ndarray.NDArrays",
                    Set.of("div", "divi", "maximum", "minimum", "mul", "muli", "pow", "powi")),
            Map.entry("ai.djl.ndarray.internal.NDArrayEx", Set.of("div", "mul")),
            Map.entry("ai.djl.nn.Activation", Set.of("minimum")),
            Map.entry("ai.djl.nn.transformer.BertBlock", Set.of("mul")),
            Map.entry("ai.djl.nn.transformer.BertMaskedLanguageModelBlock", Set.of("mul")),
            Map.entry("ai.djl.nn.transformer.BertMaskedLanguageModelLoss", Set.of("mul")),
            Map.entry("ai.djl.nn.transformer.BertNextSentenceLoss", Set.of("div", "mul")),
            Map.entry(
                    "ai.djl.pytorch.engine.PtNDArray",
                    Set.of("div", "divi", "maximum", "minimum", "mul", "muli", "pow", "powi")),
            Map.entry("ai.djl.training.loss.ElasticNetWeightDecay", Set.of("muli")),
            Map.entry("ai.djl.training.loss.HingeLoss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.L1Loss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.L1WeightDecay", Set.of("muli")),
            Map.entry("ai.djl.training.loss.L2Loss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.L2WeightDecay", Set.of("muli")),
            Map.entry("ai.djl.training.loss.MaskedSoftmaxCrossEntropyLoss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.QuantileL1Loss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.SoftmaxCrossEntropyLoss", Set.of("mul")),
            Map.entry("ai.djl.training.loss.YOLOv3Loss", Set.of("div", "mul", "pow")),
            Map.entry("ai.djl.training.util.MinMaxScaler", Set.of("divi", "muli"))));

    @Test
    void theCallersAreTheOnesTheReadmeLists() throws IOException, URISyntaxException {
        Map<String, Set<String>> calls = new TreeMap<>();
        int classes = scan(jarOf(NDArray.class), calls) + scan(jarOf(PtNDArray.class), calls);
        assertTrue(classes > 500, "scanned " + classes + " classes");
        assertEquals(AUDITED, calls);
        // no optimiser or initialiser: they run outside the graph anyway
        assertTrue(calls.keySet().stream()
                .noneMatch(
                        c -> c.startsWith("ai.djl.training.optimizer") || c.startsWith("ai.djl.training.initializer")));
    }

    private static Path jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Adds each class calling an unsafe overload with the operations it calls; returns the classes scanned. */
    private static int scan(Path jar, Map<String, Set<String>> calls) throws IOException {
        int classes = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (!e.getName().endsWith(".class") || e.getName().endsWith("module-info.class")) {
                    continue;
                }
                classes++;
                try (InputStream in = file.getInputStream(e)) {
                    for (GraphSafeScalarsTest.MethodRef ref : GraphSafeScalarsTest.methodRefs(in)) {
                        if (GraphSafeScalarsTest.isUnsafe(ref)) {
                            String name = e.getName().replace('/', '.').replaceAll("\\.class$", "");
                            calls.computeIfAbsent(name, k -> new TreeSet<>()).add(ref.name());
                        }
                    }
                }
            }
        }
        return classes;
    }
}
