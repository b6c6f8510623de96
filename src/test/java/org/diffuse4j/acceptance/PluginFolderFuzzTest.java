package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.diffuse4j.api.plugin.PluginBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad plugin folders ({@code --plugins DIR}): each row puts one broken jar next to nothing else and
 * asserts exit status 2, a message naming the jar, the plugin (or class) and the root cause, and an
 * unchanged folder. The plugin classes are compiled once, on the fly, against the api.
 */
class PluginFolderFuzzTest {
  private static final String SERVICES = "META-INF/services/" + PluginBundle.class.getName();
  private static final String MODULES = "META-INF/services/com.google.inject.Module";

  @TempDir static Path work;
  private static Path classes;

  /** One jar's entries: path inside the jar → bytes. */
  private record JarSpec(Map<String, byte[]> entries) {}

  @BeforeAll
  static void compilePluginClasses() throws IOException {
    Path src = work.resolve("src/fuzzplugins");
    Files.createDirectories(src);
    // One bundle whose name and failure mode come from a resource in its own jar.
    Files.writeString(src.resolve("FuzzBundle.java"), """
        package fuzzplugins;
        import java.util.List;
        import java.util.Properties;
        import org.diffuse4j.api.plugin.*;
        public final class FuzzBundle implements PluginBundle {
          private final Properties p = new Properties();
          public FuzzBundle() throws Exception {
            try (var in = FuzzBundle.class.getResourceAsStream("mode.properties")) { p.load(in); }
            if (p.getProperty("mode").equals("ctor")) throw new IllegalStateException("constructor boom");
          }
          public List<PluginProvider<?>> providers() {
            switch (p.getProperty("mode")) {
              case "providers": throw new UnsupportedOperationException("providers boom");
              case "null": return null;
              default:
            }
            String mode = p.getProperty("mode");
            return List.of(PluginProvider.of(new PluginInfo(Kind.DATA, p.getProperty("name"), "fuzz data", "none"),
                NoOptions.class, o -> { if (mode.equals("factory")) throw new IllegalStateException("factory boom"); return "x"; }));
          }
        }
        """);
    Files.writeString(src.resolve("NotABundle.java"), "package fuzzplugins; public final class NotABundle {}\n");
    Files.writeString(src.resolve("NoDefaultConstructor.java"), """
        package fuzzplugins;
        import java.util.List;
        import org.diffuse4j.api.plugin.*;
        public final class NoDefaultConstructor implements PluginBundle {
          public NoDefaultConstructor(int x) {}
          public List<PluginProvider<?>> providers() { return List.of(); }
        }
        """);
    Files.writeString(src.resolve("StaticInitFails.java"), """
        package fuzzplugins;
        import java.util.List;
        import org.diffuse4j.api.plugin.*;
        public final class StaticInitFails implements PluginBundle {
          static final int X = Integer.parseInt("static boom");
          public List<PluginProvider<?>> providers() { return List.of(); }
        }
        """);
    Files.writeString(src.resolve("BadModule.java"), """
        package fuzzplugins;
        public final class BadModule extends com.google.inject.AbstractModule {
          @Override protected void configure() { throw new IllegalStateException("module boom"); }
        }
        """);
    classes = work.resolve("classes");
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
        ThirdPartyJar.apiClassPath() + java.io.File.pathSeparator
            + com.google.inject.Module.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
    try (Stream<Path> s = Files.list(src)) {
      s.map(Path::toString).forEach(args::add);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(null, null, new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
    assertThat(rc).as("compiling the fuzz plugins: %s", err).isZero();
  }

  private static byte[] cls(String simpleName) {
    try {
      return Files.readAllBytes(classes.resolve("fuzzplugins/" + simpleName + ".class"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A jar with FuzzBundle named {@code name} in failure mode {@code mode}. */
  private static JarSpec bundle(String name, String mode) {
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put("fuzzplugins/FuzzBundle.class", cls("FuzzBundle"));
    e.put("fuzzplugins/mode.properties", text("name=" + name + "\nmode=" + mode + "\n"));
    e.put(SERVICES, text("fuzzplugins.FuzzBundle\n"));
    return new JarSpec(e);
  }

  private static JarSpec listing(String className, String servicesFile, String... classFiles) {
    Map<String, byte[]> e = new LinkedHashMap<>();
    for (String c : classFiles) {
      e.put("fuzzplugins/" + c + ".class", cls(c));
    }
    e.put(servicesFile, text(className + "\n"));
    return new JarSpec(e);
  }

  private static byte[] jarBytes(JarSpec spec) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (JarOutputStream j = new JarOutputStream(b)) {
      for (var e : spec.entries().entrySet()) {
        j.putNextEntry(new JarEntry(e.getKey()));
        j.write(e.getValue());
        j.closeEntry();
      }
    }
    return b.toByteArray();
  }

  /** How a row fills its plugins folder. */
  @FunctionalInterface
  interface Setup {
    void fill(Path folder) throws IOException;
  }

  private static Setup jar(String file, JarSpec spec) {
    return folder -> Files.write(folder.resolve(file), jarBytes(spec));
  }

  private static Setup bytes(String file, byte[] content) {
    return folder -> Files.write(folder.resolve(file), content);
  }

  private static Arguments row(String name, Setup setup, String command, String... message) {
    return Arguments.of(name, setup, command, message);
  }

  static Stream<Arguments> rows() throws IOException {
    byte[] random = new byte[4096];
    new Random(11).nextBytes(random);
    return Stream.of(
        row("random bytes", bytes("noise.jar", random), "plugins", "noise.jar", "not a readable jar"),
        row("empty file", bytes("empty.jar", new byte[0]), "plugins", "empty.jar", "not a readable jar"),
        row("truncated jar", folder -> {
          byte[] whole = jarBytes(bundle("fuzz-data", "ok"));
          Files.write(folder.resolve("cut.jar"), java.util.Arrays.copyOf(whole, whole.length / 2));
        }, "plugins", "cut.jar", "not a readable jar"),
        row("text file named .jar", bytes("readme.jar", text("this is not a jar\n")), "plugins", "readme.jar",
            "not a readable jar"),
        row("folder named .jar", folder -> Files.createDirectories(folder.resolve("dir.jar").resolve("x")), "plugins",
            "dir.jar", "is a folder, not a jar"),
        row("constructor throws", jar("ctor.jar", bundle("fuzz-data", "ctor")), "plugins", "ctor.jar",
            "fuzzplugins.FuzzBundle", "could not be created", "IllegalStateException: constructor boom"),
        row("providers() throws", jar("prov.jar", bundle("fuzz-data", "providers")), "plugins", "prov.jar",
            "fuzzplugins.FuzzBundle", "providers() failed", "UnsupportedOperationException: providers boom"),
        row("providers() returns null", jar("null.jar", bundle("fuzz-data", "null")), "plugins", "null.jar",
            "fuzzplugins.FuzzBundle", "providers() failed", "returned null"),
        row("factory throws", jar("factory.jar", bundle("boom-data", "factory")), "validate", "factory.jar",
            "'boom-data'", "failed to build", "IllegalStateException: factory boom"),
        row("missing provider class", jar("missing.jar", listing("fuzzplugins.Missing", SERVICES)), "plugins",
            "missing.jar", "fuzzplugins.Missing", "not found"),
        row("misspelt provider class", jar("typo.jar", listing("fuzzplugins.FuzBundle", SERVICES, "FuzzBundle")),
            "plugins", "typo.jar", "fuzzplugins.FuzBundle", "spelt right"),
        row("class is not a PluginBundle", jar("notabundle.jar", listing("fuzzplugins.NotABundle", SERVICES, "NotABundle")),
            "plugins", "notabundle.jar", "fuzzplugins.NotABundle", "not a subtype"),
        row("no public no-arg constructor",
            jar("noctor.jar", listing("fuzzplugins.NoDefaultConstructor", SERVICES, "NoDefaultConstructor")), "plugins",
            "noctor.jar", "fuzzplugins.NoDefaultConstructor", "public constructor without arguments"),
        row("static initialiser throws", jar("static.jar", listing("fuzzplugins.StaticInitFails", SERVICES, "StaticInitFails")),
            "plugins", "static.jar", "fuzzplugins.StaticInitFails", "NumberFormatException", "static boom"),
        row("misnamed services file",
            jar("misnamed.jar", listing("fuzzplugins.FuzzBundle", "META-INF/services/org.diffuse4j.api.PluginBundle", "FuzzBundle")),
            "plugins", "misnamed.jar", "provides no plugin", "META-INF/services/org.diffuse4j.api.PluginBundle"),
        row("no services file at all", jar("classes-only.jar", new JarSpec(Map.of("fuzzplugins/NotABundle.class",
            cls("NotABundle")))), "plugins", "classes-only.jar", "provides no plugin", "it has none"),
        row("empty plugin name", jar("empty-name.jar", bundle("", "ok")), "plugins", "empty-name.jar",
            "fuzzplugins.FuzzBundle", "plugin name ''", "lower-case letters, digits"),
        row("plugin name with a space", jar("space.jar", bundle("my data", "ok")), "plugins", "space.jar",
            "plugin name 'my data'", "lower-case letters, digits"),
        row("upper-case plugin name", jar("upper.jar", bundle("MyData", "ok")), "plugins", "upper.jar",
            "plugin name 'MyData'", "lower-case letters, digits"),
        row("underscore in plugin name", jar("underscore.jar", bundle("my_data", "ok")), "plugins", "underscore.jar",
            "plugin name 'my_data'", "lower-case letters, digits"),
        row("name starting with '-'", jar("dash.jar", bundle("-data", "ok")), "plugins", "dash.jar",
            "plugin name '-data'", "starting with a letter or a digit"),
        row("duplicate of a built-in name", jar("moons.jar", bundle("two-moons", "ok")), "plugins", "moons.jar",
            "duplicate data plugin 'two-moons'", "DataBundle"),
        row("duplicate between two jars", folder -> {
          Files.write(folder.resolve("a.jar"), jarBytes(bundle("twin-data", "ok")));
          Files.write(folder.resolve("b.jar"), jarBytes(bundle("twin-data", "ok")));
        }, "plugins", "duplicate data plugin 'twin-data'", "a.jar", "b.jar"),
        row("Guice module throws", jar("module.jar", listing("fuzzplugins.BadModule", MODULES, "BadModule")), "plugins",
            "plugin wiring failed", "module.jar", "fuzzplugins.BadModule", "IllegalStateException: module boom"),
        row("plugins folder is a file", folder -> {
          Files.delete(folder);
          Files.writeString(folder, "not a folder");
        }, "plugins", "plugins folder", "is not a folder"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void aBrokenPluginFolderIsNamed(String name, Setup setup, String command, String[] message) throws IOException {
    Path folder = Files.createTempDirectory(work, "plugins");
    setup.fill(folder);
    Fuzz.Watch watch = Fuzz.watch(folder);
    Cli c = command.equals("validate")
        ? Cli.run("--plugins", folder.toString(), "validate", Manifests.twoMoons().toString(), "--set", "data=boom-data")
        : Cli.run("--plugins", folder.toString(), "plugins");
    watch.assertRejected(c, Fuzz.USAGE, message);
  }

  @Test
  void verboseShowsTheRootCauseStackTrace() throws IOException {
    Path folder = Files.createTempDirectory(work, "plugins");
    jar("ctor.jar", bundle("fuzz-data", "ctor")).fill(folder);
    Cli c = Cli.run("--plugins", folder.toString(), "--verbose", "plugins");
    assertThat(c.code()).isEqualTo(Fuzz.USAGE);
    assertThat(c.err()).contains("ctor.jar", "Caused by", "constructor boom", "Caused by: java.lang.IllegalStateException: constructor boom", "fuzzplugins.FuzzBundle.<init>");
  }

  @Test
  void guiceDoesNotLogTheFailureWithItsOwnStackTrace() throws IOException {
    Path folder = Files.createTempDirectory(work, "plugins");
    jar("module.jar", listing("fuzzplugins.BadModule", MODULES, "BadModule")).fill(folder);
    Cli c = Cli.run("--plugins", folder.toString(), "plugins");
    assertThat(c.err()).contains("module.jar", "module boom");
    // Guice reports a failing module at INFO with a stack trace on the JVM's stderr, outside the CLI's streams
    assertThat(java.util.logging.Logger.getLogger("com.google.inject.Guice").isLoggable(java.util.logging.Level.INFO)).isFalse();
  }

  @Test
  void theEnvironmentVariableIsNamedWhenItsFolderIsBroken() throws Exception {
    Path folder = Files.createTempDirectory(work, "plugins");
    Files.write(folder.resolve("noise.jar"), new byte[] {1, 2, 3});
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (var c : List.of(new String[] {work.resolve("missing").toString(), "DIFFUSE4J_PLUGINS", "does not exist"},
        new String[] {folder.toString(), "noise.jar", "not a readable jar"})) {
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "org.diffuse4j.cli.Main", "plugins").redirectErrorStream(true);
      pb.environment().put("DIFFUSE4J_PLUGINS", c[0]);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isEqualTo(Fuzz.USAGE);
      assertThat(out).contains(c[0], c[1], c[2]).doesNotContain("\tat ");
    }
  }

  @Test
  void aGoodJarNextToNothingElseLoads() throws IOException {
    Path folder = Files.createTempDirectory(work, "plugins");
    jar("good.jar", bundle("fuzz-data", "ok")).fill(folder);
    Cli c = Cli.run("--plugins", folder.toString(), "plugins");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("fuzz-data", "good.jar");
  }
}
