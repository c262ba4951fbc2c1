package io.sockeye.tests.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The module boundaries, checked on the compiled classes of every module: a module uses another only
 * through its public packages, never through an {@code internal} one (main and test classes), and the
 * packages below a module's root form no cycle (main classes: a test may assemble several packages,
 * as a rooms test serving the HTTP API over the rooms service does). A module's root package is its
 * facade, which builds the implementation it hands out ({@code SocketIoServer} does), so the cycle
 * rule slices the packages under the root. The last tests show each rule failing on classes compiled
 * for the purpose.
 */
class ArchitectureTest {

    /** A module: its directory and the package every one of its classes lives under. */
    record Module(String dir, String root) {
        Path main() {
            return REPOSITORY.resolve(dir).resolve("target/classes");
        }

        Path test() {
            return REPOSITORY.resolve(dir).resolve("target/test-classes");
        }
    }

    // The tests run from sockeye-tests; the modules are its siblings.
    static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    /** Every module built before this one: all must be there. */
    static final List<Module> MODULES = List.of(
            new Module("sockeye-protocol", "io.sockeye.protocol"),
            new Module("sockeye-core", "io.sockeye.core"),
            new Module("sockeye-cluster-codec", "io.sockeye.cluster.codec"),
            new Module("sockeye-emitter", "io.sockeye.emitter"),
            new Module("sockeye-transport-netty", "io.sockeye.netty"),
            new Module("sockeye-client-msgpack", "io.sockeye.client.msgpack"),
            new Module("sockeye-adapter-redis", "io.sockeye.adapter.redis"),
            new Module("sockeye-adapter-nats", "io.sockeye.adapter.nats"),
            new Module("sockeye-server", "io.sockeye.server"),
            new Module("sockeye-examples", "io.sockeye.examples"),
            new Module("sockeye-testkit", "io.sockeye.testkit"),
            new Module("sockeye-tests", "io.sockeye.tests"));

    /** The benchmark modules build after this one: checked when a previous build left their classes. */
    static final List<Module> BUILT_LATER = List.of(
            new Module("sockeye-bench/harness", "io.sockeye.bench"),
            new Module("sockeye-bench/netty-socketio-peer", "io.sockeye.bench"));

    /** The library jars and the module name each declares for the module path. */
    static final Map<String, String> MODULE_NAMES = Map.of(
            "sockeye-protocol", "io.sockeye.protocol",
            "sockeye-core", "io.sockeye.core",
            "sockeye-cluster-codec", "io.sockeye.cluster.codec",
            "sockeye-emitter", "io.sockeye.emitter",
            "sockeye-transport-netty", "io.sockeye.netty",
            "sockeye-client-msgpack", "io.sockeye.client.msgpack",
            "sockeye-adapter-redis", "io.sockeye.adapter.redis",
            "sockeye-adapter-nats", "io.sockeye.adapter.nats",
            "sockeye-server", "io.sockeye.server",
            "sockeye-testkit", "io.sockeye.testkit");

    // ---- the rules ---------------------------------------------------------------------------

    static ArchRule noUseOfCoreInternals() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("io.sockeye.core.internal..")
                .because("sockeye-core's internal packages are its own; other modules use its public API and SPIs")
                .allowEmptyShould(true);
    }

    static ArchRule noUseOfNettyInternals() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("io.sockeye.netty.internal..")
                .because("the Netty transport's internal package is its own; io.sockeye.netty is its public face")
                .allowEmptyShould(true);
    }

    /** No class of {@code module} uses an {@code internal} package outside its own root. */
    static ArchRule noUseOfOtherModulesInternals(Module module) {
        DescribedPredicate<JavaClass> othersInternals = resideInAPackage("io.sockeye..internal..")
                .and(DescribedPredicate.not(resideInAPackage(module.root() + "..")));
        return noClasses().should().dependOnClassesThat(othersInternals)
                .because("a module's internal packages are for that module only").allowEmptyShould(true);
    }

    static ArchRule noPackageCycles(Module module) {
        return slices().matching(module.root() + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true);
    }

    static ArchRule livesUnderItsRoot(Module module) {
        return classes().should().resideInAPackage(module.root() + "..")
                .because("the package rules tell modules apart by their root packages");
    }

    // ---- the rules, on the modules -----------------------------------------------------------

    @Test
    void everyModuleKeepsToItsRootPackage() {
        for (Module module : present()) {
            livesUnderItsRoot(module).check(classesOf(module));
        }
    }

    @Test
    void nothingOutsideCoreUsesCoreInternals() {
        for (Module module : present()) {
            if (!module.dir().equals("sockeye-core")) {
                noUseOfCoreInternals().check(classesOf(module));
            }
        }
    }

    @Test
    void nothingOutsideTheNettyTransportUsesItsInternals() {
        for (Module module : present()) {
            if (!module.dir().equals("sockeye-transport-netty")) {
                noUseOfNettyInternals().check(classesOf(module));
            }
        }
    }

    @Test
    void noModuleUsesAnotherModulesInternalPackages() {
        for (Module module : present()) {
            noUseOfOtherModulesInternals(module).check(classesOf(module));
        }
    }

    @Test
    void thePackagesOfEachModuleFormNoCycle() {
        for (Module module : present()) {
            noPackageCycles(module).check(new ClassFileImporter().importPath(module.main()));
        }
    }

    @Test
    void everyLibraryJarNamesItsModule() throws IOException {
        for (Map.Entry<String, String> library : MODULE_NAMES.entrySet()) {
            Path jar = jarOf(library.getKey());
            try (JarFile file = new JarFile(jar.toFile())) {
                Attributes manifest = file.getManifest().getMainAttributes();
                assertThat(manifest.getValue("Automatic-Module-Name")).as("Automatic-Module-Name of %s", jar)
                        .isEqualTo(library.getValue());
            }
        }
    }

    // ---- the rules fail where they should -------------------------------------------------------

    @Test
    void theInternalsRulesCatchAClassOfAnotherModuleUsingCoreOrNettyInternals() throws IOException {
        JavaClasses offender = compiled(Map.of("io.sockeye.server.fixture.Reaches", """
                package io.sockeye.server.fixture;
                class Reaches {
                    io.sockeye.core.internal.socket.ServerContext context;
                    io.sockeye.netty.internal.EncodedFrames frames;
                }
                """));
        Module server = new Module("sockeye-server", "io.sockeye.server");

        assertThat(violations(noUseOfCoreInternals(), offender)).anyMatch(v -> v.contains("ServerContext"));
        assertThat(violations(noUseOfNettyInternals(), offender)).anyMatch(v -> v.contains("EncodedFrames"));
        assertThat(violations(noUseOfOtherModulesInternals(server), offender)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(violations(livesUnderItsRoot(new Module("sockeye-examples", "io.sockeye.examples")), offender))
                .isNotEmpty();
    }

    @Test
    void theCycleRuleCatchesTwoPackagesThatUseEachOther() throws IOException {
        JavaClasses cycle = compiled(Map.of(
                "io.sockeye.core.alpha.A", "package io.sockeye.core.alpha; public class A { io.sockeye.core.beta.B b; }",
                "io.sockeye.core.beta.B", "package io.sockeye.core.beta; public class B { io.sockeye.core.alpha.A a; }"));

        assertThat(violations(noPackageCycles(new Module("sockeye-core", "io.sockeye.core")), cycle))
                .anyMatch(v -> v.contains("Cycle detected"));
    }

    // ---- support -----------------------------------------------------------------------------

    @TempDir
    Path fixtures;

    private static List<Module> present() {
        List<Module> modules = new ArrayList<>();
        for (Module module : MODULES) {
            assertThat(module.main()).as("classes of %s (build it before this module)", module.dir()).isDirectory();
            modules.add(module);
        }
        for (Module module : BUILT_LATER) {
            if (Files.isDirectory(module.main())) {
                modules.add(module);
            }
        }
        return modules;
    }

    private static JavaClasses classesOf(Module module) {
        List<Path> paths = new ArrayList<>(List.of(module.main()));
        if (Files.isDirectory(module.test())) {
            paths.add(module.test());
        }
        return new ClassFileImporter().importPaths(paths);
    }

    private JavaClasses compiled(Map<String, String> sources) throws IOException {
        TestCompiler.Result result = TestCompiler.compile(sources, fixtures);
        assertThat(result.errors()).as("the fixture compiles").isEmpty();
        return new ClassFileImporter().importPath(result.classes());
    }

    private static List<String> violations(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        return result.getFailureReport().getDetails();
    }

    /** The module's main jar as the build left it in its target directory (packaged before this module's tests). */
    private static Path jarOf(String dir) throws IOException {
        Path target = REPOSITORY.resolve(dir).resolve("target");
        try (var files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches(".*-\\d[^-]*(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElse(null);
            assumeTrue(jar != null, "no jar of " + dir + " in " + target + " (a build without the package phase)");
            return jar;
        }
    }
}
