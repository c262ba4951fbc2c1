package io.sockeye.tests.architecture;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Compiles Java sources held in memory against this test's class path (every Sockeye module and its
 * dependencies) into a fresh directory: documentation examples, and fixture classes that exist only
 * for the test that compiles them.
 */
final class TestCompiler {

    private TestCompiler() {
    }

    /** The outcome: where the classes went, and the compiler's errors (empty when it compiled). */
    record Result(Path classes, List<String> errors) {
    }

    /** Compiles {@code sources} (fully qualified class name → source text) into {@code out}. */
    static Result compile(Map<String, String> sources, Path out) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no system Java compiler: the tests need a JDK, not a JRE");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new Source(name, code)));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<String> options = List.of("-classpath", classPath(), "-proc:none", "-Xlint:none", "--release", "17");
            compiler.getTask(null, files, diagnostics, options, null, units).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
                String line = d.getSource() instanceof Source source ? "\n    at: " + source.line(d.getLineNumber()) : "";
                errors.add(where + d.getMessage(Locale.ROOT) + line);
            }
        }
        return new Result(out, errors);
    }

    /**
     * This JVM's class path, with the manifest-only jar that Surefire may start tests with expanded
     * into the entries its {@code Class-Path} lists.
     */
    static String classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (entry.endsWith(".jar") && new File(entry).isFile()) {
                try (JarFile jar = new JarFile(entry)) {
                    Manifest manifest = jar.getManifest();
                    String listed = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (listed != null) {
                        for (String url : listed.trim().split("\\s+")) {
                            entries.add(new File(URI.create(url).isAbsolute() ? URI.create(url)
                                    : new File(entry).getParentFile().toURI().resolve(url)).getPath());
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }

        String line(long number) {
            String[] lines = code.split("\n", -1);
            return number >= 1 && number <= lines.length ? lines[(int) number - 1].trim() : "";
        }
    }
}
