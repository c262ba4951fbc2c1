package io.sockeye.tests.distribution;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the build's POMs (plain DOM: the tests look at a handful of elements). */
public final class Poms {

    private Poms() {
    }

    /** The root element of the POM {@code file}. */
    public static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    /** The first child element {@code name} of {@code parent}, which must exist. */
    public static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).isNotEmpty();
        return found.get(0);
    }

    /** The child elements {@code name} of {@code parent}, in order. */
    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The trimmed text of the child element {@code name} of {@code parent}, which must exist. */
    public static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }
}
