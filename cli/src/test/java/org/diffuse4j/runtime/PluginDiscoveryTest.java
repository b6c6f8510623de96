package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.TestRuns.Call;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {
  @TempDir Path tmp;

  @Test
  void classpathBundlesAreFoundThroughGuice() {
    PluginRegistry r = PluginDiscovery.discover((Path) null);
    assertThat(r.entries(Kind.NETWORK)).containsKeys("mlp", "gmm");
    assertThat(r.entries(Kind.DATA)).containsKeys("two-moons", "8-gaussians", "checkerboard", "spirals", "gmm");
    assertThat(r.entries(Kind.SOLVER)).containsKeys("test-euler", "test-sde");
    assertThat(r.entries(Kind.SCHEDULE)).containsKey("rectified-flow");
    assertThat(r.entries(Kind.SOLVER).get("test-euler").source()).contains("TestBundle");
    assertThat(r.entries(Kind.SOLVER).get("test-guice-euler").source()).isEqualTo("TestGuiceModule");
  }

  /** Compiles a one-class plugin jar into {@code folder}: a bundle with the given data plugin name. */
  private static Path pluginJar(Path work, Path folder, String jarName, String className, String pluginName) throws Exception {
    Path src = work.resolve("src/" + className + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, """
        package thirdparty;
        import java.util.List;
        import org.diffuse4j.api.plugin.*;
        public final class %s implements PluginBundle {
          public List<PluginProvider<?>> providers() {
            return List.of(PluginProvider.of(new PluginInfo(Kind.DATA, "%s", "a third-party data set", "none"),
                NoOptions.class, o -> "not a data set"));
          }
        }
        """.formatted(className, pluginName));
    Path classes = work.resolve("classes-" + className);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = PluginRegistry.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", cp, src.toString());
    assertThat(rc).isZero();
    Files.createDirectories(folder);
    Path jar = folder.resolve(jarName);
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      j.putNextEntry(new JarEntry("thirdparty/" + className + ".class"));
      j.write(Files.readAllBytes(classes.resolve("thirdparty/" + className + ".class")));
      j.putNextEntry(new JarEntry("META-INF/services/org.diffuse4j.api.plugin.PluginBundle"));
      j.write(("thirdparty." + className + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  @Test
  void aJarInThePluginsFolderIsDiscoveredAndListed() throws Exception {
    Path folder = tmp.resolve("plugins");
    pluginJar(tmp, folder, "extra-data.jar", "ExtraBundle", "my-data");
    PluginRegistry r = PluginDiscovery.discover(folder);
    assertThat(r.entries(Kind.DATA)).containsKey("my-data");
    assertThat(r.entries(Kind.DATA).get("my-data").source()).contains("extra-data.jar");

    Call c = TestRuns.cli("--plugins", folder.toString(), "plugins", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    List<Map<String, String>> rows = new ObjectMapper().readValue(c.out(), List.class);
    assertThat(rows).anySatisfy(row -> {
      assertThat(row).containsEntry("kind", "data").containsEntry("name", "my-data");
      assertThat(row.get("source")).contains("extra-data.jar");
    });
    assertThat(rows).allSatisfy(row -> assertThat(row).containsKeys("kind", "name", "description", "reference", "source"));
  }

  @Test
  void aDuplicateNameFailsNamingBothSources() throws Exception {
    Path folder = tmp.resolve("plugins");
    pluginJar(tmp, folder, "moons-clone.jar", "CloneBundle", "two-moons");
    assertThatThrownBy(() -> PluginDiscovery.discover(folder))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("duplicate data plugin 'two-moons'")
        .hasMessageContaining("moons-clone.jar")
        .hasMessageContaining("DataBundle");
    Call c = TestRuns.cli("plugins", "--plugins", folder.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("moons-clone.jar", "DataBundle").doesNotContain("\tat ");
  }

  @Test
  void describeShowsOptionsAndAPluginOfTheWrongTypeIsRejected() throws Exception {
    Call d = TestRuns.cli("describe", "network", "mlp");
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.out()).contains("width", "depth", "time_embedding", "activation", "default 128");
    assertThat(TestRuns.cli("describe", "solver", "test-eulr").err()).contains("did you mean 'test-euler'");

    Path folder = tmp.resolve("plugins");
    pluginJar(tmp, folder, "bad.jar", "BadBundle", "bad-data");
    Path m = TestRuns.manifest(tmp, TestRuns.TINY.replace("data: two-moons", "data: bad-data"));
    Call c = TestRuns.cli("validate", m.toString(), "--plugins", folder.toString());
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("'data'", "DataSet");
  }

  @Test
  void missingPluginsFolderFailsClearly() {
    Call c = TestRuns.cli("--plugins", tmp.resolve("none").toString(), "plugins");
    assertThat(c.code()).isNotZero();
    assertThat(c.err()).contains("plugins folder", "does not exist");
  }

  @Test
  void aFileThatIsNotAJarIsNamedInsteadOfIgnored() throws Exception {
    Path folder = tmp.resolve("plugins");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("notes.jar"), "not a zip");
    Files.write(folder.resolve("empty.jar"), new byte[0]);
    assertThatThrownBy(() -> PluginDiscovery.discover(folder))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("plugin jar '" + folder.resolve("empty.jar") + "' is not a readable jar (zip file is empty)");
    Files.delete(folder.resolve("empty.jar"));
    assertThatThrownBy(() -> PluginDiscovery.discover(folder))
        .hasMessageContaining("plugin jar '" + folder.resolve("notes.jar") + "' is not a readable jar (zip END header not found)")
        .hasCauseInstanceOf(java.util.zip.ZipException.class);
  }

  @Test
  void anInvalidPluginNameIsNamedWithTheJarAndTheRule() throws Exception {
    Path folder = tmp.resolve("plugins");
    pluginJar(tmp, folder, "upper.jar", "UpperBundle", "My_Data");
    assertThatThrownBy(() -> PluginDiscovery.discover(folder))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("upper.jar")
        .hasMessageContaining("thirdparty.UpperBundle.providers() failed")
        .hasMessageContaining("plugin name 'My_Data' must be lower-case letters, digits, '-' or '+'")
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
  }

  @SuppressWarnings("unused")
  private static void unused(OutputStream o) {}
}
