package org.diffuse4j.acceptance;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds examples/third-party-solver the way its own pom would (compile against the api jar only,
 * copy resources, jar), but in-process so the acceptance tests need no network or nested Maven.
 */
final class ThirdPartyJar {
  private ThirdPartyJar() {}

  /** The repository root (tests run with the acceptance module as working directory). */
  static Path repoRoot() {
    Path here = Paths.get("").toAbsolutePath();
    return Files.isDirectory(here.resolve("examples")) ? here : here.getParent();
  }

  /** The class path entries that belong to the api artifact (what the example's pom gives javac). */
  static String apiClassPath() {
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Paths.get(e).getFileName().toString();
      if (name.startsWith("diffuse4j-api") || e.contains("/api/target/classes")
          || name.startsWith("tensorflow-core-api") || name.startsWith("ndarray")
          || name.startsWith("tensorflow-core-native-1") || name.startsWith("javacpp") || name.startsWith("protobuf")) {
        keep.add(e);
      }
    }
    return String.join(java.io.File.pathSeparator, keep);
  }

  /** Compiles and jars the example into {@code dir/<jarName>}; returns the jar. */
  static Path build(Path dir, String jarName) throws IOException {
    Path project = repoRoot().resolve("examples/third-party-solver");
    Path classes = Files.createTempDirectory("ssprk3-classes");
    List<String> sources;
    try (Stream<Path> s = Files.walk(project.resolve("src/main/java"))) {
      sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp", apiClassPath()));
    args.addAll(sources);
    StringWriter err = new StringWriter();
    int rc = javac.run(null, null, new java.io.PrintStream(OutputStream.nullOutputStream()) {
      @Override public void write(byte[] b, int off, int len) { err.write(new String(b, off, len)); }
    }, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("third-party example failed to compile against the api alone:\n" + err);
    }
    Files.createDirectories(dir);
    Path jar = dir.resolve(jarName);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Path root : List.of(classes, project.resolve("src/main/resources"))) {
        try (Stream<Path> files = Files.walk(root)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
            out.write(Files.readAllBytes(f));
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }
}
