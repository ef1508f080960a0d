package dev.aimle.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class of the project, tests included, calls DJL's number overloads of the operations whose backward pass keeps
 * the scalar ({@code NDArray.mul(Number)} and the like): in DJL 0.36 that scalar aliases a Java
 * buffer that is freed behind autograd's back (see {@code dev.aimle.estimators.Scalars}, which is
 * what to call instead). Reads the constant pool of every compiled class, so a call hidden in a
 * lambda or a nested class is found too.
 */
class GraphSafeScalarsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> OWNERS =
            Set.of("ai/djl/ndarray/NDArray", "ai/djl/ndarray/NDArrays", "ai/djl/pytorch/engine/PtNDArray");
    /** Operations whose backward pass saves the scalar operand; add, sub, clip and comparisons do not. */
    private static final Set<String> SAVING =
            Set.of("mul", "muli", "div", "divi", "pow", "powi", "maximum", "minimum", "rdiv", "rdivi", "rpow", "rpowi");

    private static final String[] MODULES = {
        "api",
        "estimators",
        "app",
        "solvers-plugin-topk",
        "solvers-plugin-spanningtree",
        "solvers-plugin-ilp",
        "solvers-plugin-shortestpath"
    };

    @Test
    void noClassCallsANumberOverloadWhoseScalarTheGraphKeeps() throws IOException {
        List<String> offenders = new ArrayList<>();
        int classes = 0;
        for (String module : MODULES) {
            for (String output : new String[] {"target/classes", "target/test-classes"}) {
                Path dir = ROOT.resolve(module).resolve(output);
                assertTrue(Files.isDirectory(dir), dir + " is built before the app's tests run");
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file :
                            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                        classes++;
                        try (InputStream in = Files.newInputStream(file)) {
                            for (MethodRef ref : methodRefs(in)) {
                                if (isUnsafe(ref)) {
                                    offenders.add(dir.relativize(file) + " calls " + ref);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(classes > 300, "found " + classes + " classes");
        assertEquals(List.of(), offenders, "use dev.aimle.estimators.Scalars instead");
    }

    @Test
    void theScanFindsSuchACall() throws IOException {
        byte[] probe = classWith(
                new MethodRef("ai/djl/ndarray/NDArray", "div", "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;"));
        List<MethodRef> refs = methodRefs(new java.io.ByteArrayInputStream(probe));
        assertEquals(1, refs.size());
        assertTrue(isUnsafe(refs.get(0)));
        assertTrue(!isUnsafe(
                new MethodRef("ai/djl/ndarray/NDArray", "div", "(Lai/djl/ndarray/NDArray;)Lai/djl/ndarray/NDArray;")));
        assertTrue(!isUnsafe(
                new MethodRef("ai/djl/ndarray/NDArray", "add", "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;")));
    }

    static boolean isUnsafe(MethodRef ref) {
        return OWNERS.contains(ref.owner())
                && SAVING.contains(ref.name())
                && ref.descriptor().contains("Ljava/lang/Number;");
    }

    record MethodRef(String owner, String name, String descriptor) {
        @Override
        public String toString() {
            return owner.replace('/', '.') + "." + name + descriptor;
        }
    }

    /** The method references of a class file's constant pool (JVMS 4.4). */
    static List<MethodRef> methodRefs(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        int[] tag = new int[count];
        for (int i = 1; i < count; i++) {
            tag[i] = in.readUnsignedByte();
            switch (tag[i]) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag[i] + " at " + i);
            }
        }
        List<MethodRef> refs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tag[i] == 10 || tag[i] == 11) {
                int nameAndType = second[i];
                refs.add(new MethodRef(utf8[first[first[i]]], utf8[first[nameAndType]], utf8[second[nameAndType]]));
            }
        }
        return refs;
    }

    /** A minimal class file whose constant pool holds one method reference. */
    private static byte[] classWith(MethodRef ref) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(61);
        out.writeShort(7);
        out.writeByte(1);
        out.writeUTF(ref.owner()); // 1
        out.writeByte(7);
        out.writeShort(1); // 2: class
        out.writeByte(1);
        out.writeUTF(ref.name()); // 3
        out.writeByte(1);
        out.writeUTF(ref.descriptor()); // 4
        out.writeByte(12);
        out.writeShort(3);
        out.writeShort(4); // 5: name and type
        out.writeByte(10);
        out.writeShort(2);
        out.writeShort(5); // 6: method ref
        return bytes.toByteArray();
    }
}
