package dev.aimle.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM has no parent (so importing it pins nothing but ours and DJL's), which means it repeats
 * versions the parent pom also holds: this test fails the build when the two drift apart.
 */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBomPinsWhatTheBuildUses() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("bom/pom.xml"));
        assertEquals(text(parent, "version"), property(bom, "aimle.version"), "our version");
        for (String key : new String[] {"djl.version", "pytorch.jni.version", "pytorch.native.version"}) {
            assertEquals(property(parent, key), property(bom, key), key);
        }
        Set<String> ours = managed(parent, "dev.aimle");
        Set<String> pinned = managed(bom, "dev.aimle");
        assertFalse(ours.isEmpty());
        assertEquals(ours, pinned, "every module the parent manages is in the BOM");
        assertEquals(managed(parent, "ai.djl"), managed(bom, "ai.djl"));
        assertEquals(managed(parent, "ai.djl.pytorch"), managed(bom, "ai.djl.pytorch"));
    }

    private static Document read(Path pom) throws Exception {
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    /** A direct child of the project element. */
    private static String text(Document pom, String name) {
        NodeList children = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in the pom");
    }

    private static String property(Document pom, String key) {
        NodeList found = pom.getElementsByTagName(key);
        if (found.getLength() != 1) {
            throw new AssertionError("expected one property " + key + ", found " + found.getLength());
        }
        return found.item(0).getTextContent().strip();
    }

    /** artifactId:type:classifier of the managed dependencies of a group. */
    private static Set<String> managed(Document pom, String group) {
        Set<String> result = new TreeSet<>();
        Element management =
                (Element) pom.getElementsByTagName("dependencyManagement").item(0);
        NodeList deps = management.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (child(d, "groupId").equals(group)) {
                result.add(child(d, "artifactId") + ":" + child(d, "type") + ":" + child(d, "classifier"));
            }
        }
        return result;
    }

    private static String child(Element e, String name) {
        NodeList found = e.getElementsByTagName(name);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
    }
}
