package io.sockeye.tests.architecture;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.sockeye.tests.distribution.Poms.child;
import static io.sockeye.tests.distribution.Poms.children;
import static io.sockeye.tests.distribution.Poms.pom;
import static io.sockeye.tests.distribution.Poms.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Maven Central requires of the published artifacts, read from the POMs: the BOM lists every
 * published module at the reactor's version (and nothing else), the parent carries the licence, SCM,
 * developer and URL metadata every module inherits, each published module describes itself and names its
 * module for the module path, the builds are reproducible, and the licence file is at the root.
 */
class ReleaseMetadataTest {

    private static final Path ROOT = ArchitectureTest.REPOSITORY;

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        Element bom = pom(ROOT.resolve("sockeye-bom/pom.xml"));
        assertThat(text(bom, "version")).as("BOM version").isEqualTo(text(parent, "version"));

        Set<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            if ("io.sockeye".equals(text(dependency, "groupId"))) {
                managed.add(text(dependency, "artifactId"));
                assertThat(text(dependency, "version")).as(text(dependency, "artifactId")).isEqualTo(text(parent, "version"));
            }
        }
        assertThat(managed).as("Sockeye artifacts in the BOM").isEqualTo(publishedModules(parent).keySet());
    }

    @Test
    void everyPublishedModuleHasTheMetadataCentralRequires() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        assertThat(text(parent, "url")).startsWith("https://");
        assertThat(text(child(child(parent, "licenses"), "license"), "name")).isEqualTo("Apache License, Version 2.0");
        assertThat(text(child(parent, "scm"), "connection")).startsWith("scm:git:");
        assertThat(children(child(parent, "developers"), "developer")).isNotEmpty();
        assertThat(text(child(parent, "properties"), "project.build.outputTimestamp"))
                .as("a fixed timestamp for reproducible jars").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
        for (Map.Entry<String, Path> module : publishedModules(parent).entrySet()) {
            Element pom = pom(module.getValue().resolve("pom.xml"));
            assertThat(text(pom, "description")).as("description of " + module.getKey()).isNotBlank();
            assertThat(pom.getElementsByTagName("Automatic-Module-Name").getLength())
                    .as("Automatic-Module-Name in the jar manifest of " + module.getKey()).isEqualTo(1);
        }
    }

    @Test
    void everyPublishedModuleNameIsUniqueAndARootPackageOfItsModule() throws Exception {
        Map<String, String> owners = new TreeMap<>();
        for (Map.Entry<String, Path> module : publishedModules(pom(ROOT.resolve("pom.xml"))).entrySet()) {
            String name = pom(module.getValue().resolve("pom.xml")).getElementsByTagName("Automatic-Module-Name")
                    .item(0).getTextContent().trim();
            assertThat(owners.put(name, module.getKey())).as("module name %s used twice", name).isNull();
            Path sources = module.getValue().resolve("src/main/java");
            if (Files.isDirectory(sources)) { // a starter has no code, so no package to be named after
                assertThat(sources.resolve(name.replace('.', '/'))).as("package %s in %s", name, module.getKey()).isDirectory();
            }
        }
        assertThat(owners).containsKey("io.sockeye.core");
    }

    /** The reactor's modules, by artifact id, minus those the release profile keeps off Central. */
    private static Map<String, Path> publishedModules(Element parent) throws Exception {
        Map<String, Path> modules = new TreeMap<>();
        for (Element module : children(child(parent, "modules"), "module")) {
            Path dir = ROOT.resolve(module.getTextContent().trim());
            modules.put(text(pom(dir.resolve("pom.xml")), "artifactId"), dir);
        }
        modules.remove("sockeye-bom"); // imported, never a dependency of itself
        for (Element plugin : releasePlugins(parent)) {
            if ("central-publishing-maven-plugin".equals(text(plugin, "artifactId"))) {
                Arrays.stream(text(child(plugin, "configuration"), "excludeArtifacts").split(","))
                        .map(String::trim).forEach(modules::remove);
            }
        }
        return modules;
    }

    private static List<Element> releasePlugins(Element parent) {
        for (Element profile : children(child(parent, "profiles"), "profile")) {
            if ("release".equals(text(profile, "id"))) {
                return children(child(child(profile, "build"), "plugins"), "plugin");
            }
        }
        throw new AssertionError("no release profile in the parent POM");
    }
}
