package org.diffuse4j.acceptance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.diffuse4j.cli.Main;
import org.diffuse4j.data.FashionMnist;
import org.diffuse4j.runtime.eval.ClassifierCache;

/**
 * Runs the shell blocks of README.md and docs/*.md (DocBlocks) for DocumentationCommandsTest, in a
 * JVM whose working directory is a scratch folder, so relative paths resolve there as written and
 * nothing lands in the clone. Each Markdown file starts from a fresh copy of examples/ and docs/ (a
 * fresh clone; what the file before left is moved aside), its blocks run top to bottom.
 *
 * <ul>
 *   <li>{@code ./diffuse4j ARGS}: {@code Main.execute(ARGS)} in this JVM, with the markers' options;
 *       must exit 0. A {@code run} with the same arguments as in an earlier file is copied from there
 *       instead of trained again. {@code evaluate} finds a classifier trained tiny in the test's
 *       cache (the real one trains for minutes on first use). {@code serve} gets {@code --port 0} (the machine is shared) and
 *       runs until the end of its file; later commands' {@code 127.0.0.1:8080} point at its port.
 *   <li>{@code mvn ...}: not run (Maven inside Maven); checked instead: the -f pom, the -pl modules,
 *       the -P profiles and the -Dtest classes exist. {@code mvn -f examples/third-party-solver/pom.xml
 *       package} builds the example's jar in-process (ThirdPartyJar).
 *   <li>anything else (mkdir, cp, curl): {@code bash -c} in the scratch folder; must exit 0.
 * </ul>
 *
 * <p>Arguments: the repository root and the report file. Report lines: {@code
 * OK|SKIP|FAIL <TAB> file:line <TAB> command <TAB> seconds or reason or message}.
 */
public final class DocsRunner {
  private static final Pattern RUN_FOLDER = Pattern.compile("run folder: (\\S.*)");
  private static final Set<String> LAUNCHER_ONLY_ENV =
      Set.of("JAVA_OPTS", "DIFFUSE4J_MAVEN_ARGS", "DIFFUSE4J_REBUILD", "DIFFUSE4J_CDS", "TF_CPP_MIN_LOG_LEVEL");

  private final Path root;
  private final List<String> report = new ArrayList<>();
  /** Runs done so far: their arguments and their folder (relative); a copy is in runCache. */
  private final Map<String, Path> runs = new HashMap<>();
  private final Path runCache;
  private Thread server;
  private int serverPort;

  private DocsRunner(Path root, Path runCache) {
    this.root = root;
    this.runCache = runCache;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path reportFile = Path.of(args[1]);
    Path work = Path.of("").toAbsolutePath();
    DocsRunner r = new DocsRunner(root, work.resolveSibling("run-cache"));
    int n = 0;
    String only = System.getProperty("docs.only", "");
    for (Path doc : DocBlocks.documents(root)) {
      String name = root.relativize(doc).toString();
      if (!name.contains(only)) {
        continue;
      }
      List<DocBlocks.Block> blocks = DocBlocks.parse(name, Files.readAllLines(doc));
      if (blocks.isEmpty()) {
        continue;
      }
      // each file starts in a fresh clone: the working folder's files of the file before move aside
      Path done = work.resolveSibling("after-" + n++);
      Files.createDirectories(done);
      try (Stream<Path> s = Files.list(work)) {
        for (Path p : s.toList()) {
          Files.move(p, done.resolve(p.getFileName().toString()));
        }
      }
      copy(root.resolve("examples"), work.resolve("examples"));
      copy(root.resolve("docs"), work.resolve("docs"));
      for (DocBlocks.Block b : blocks) {
        for (DocBlocks.Command c : b.commands()) {
          r.run(b, c);
        }
      }
      r.stopServer();
    }
    Files.write(reportFile, r.report);
    System.exit(0);
  }

  private void run(DocBlocks.Block b, DocBlocks.Command c) {
    String skip = b.skipped(c);
    if (skip != null) {
      report.add(String.join("\t", "SKIP", c.where(), c.text(), skip));
      return;
    }
    long t0 = System.nanoTime();
    String failure;
    try {
      if (c.words().isEmpty()) {
        failure = "empty command";
      } else if (c.words().get(0).equals("./diffuse4j")) {
        failure = diffuse4j(b, c);
      } else if (c.words().get(0).equals("mvn")) {
        failure = maven(c);
      } else {
        failure = shell(c);
      }
    } catch (Exception | AssertionError e) {
      failure = e.toString();
    }
    String seconds = String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    report.add(failure == null ? String.join("\t", "OK", c.where(), c.text(), seconds)
        : String.join("\t", "FAIL", c.where(), c.text(), failure.replace("\t", " ").replace("\n", "\\n")));
    System.out.println(report.get(report.size() - 1));
  }

  private String diffuse4j(DocBlocks.Block b, DocBlocks.Command c) throws Exception {
    for (String key : c.env().keySet()) {
      if (!LAUNCHER_ONLY_ENV.contains(key)) {
        return "the environment variable " + key + " cannot be set for an in-process run; mark the block (docs-test: skip: REASON)";
      }
    }
    List<String> args = new ArrayList<>();
    for (String w : c.words().subList(1, c.words().size())) {
      args.add(local(w));
    }
    applyOptions(args, b.options(c));
    String command = subcommand(args);
    if (command.equals("serve")) {
      return serve(args);
    }
    if (command.equals("evaluate")) {
      tinyClassifier();
    }
    String key = runKey(args);
    Path folder = at(args, "--out");
    if (command.equals("run") && runs.containsKey(key)) {
      Path to = folder != null ? folder : runs.get(key);
      if (!Files.exists(to)) {
        copy(runCache.resolve(Integer.toHexString(key.hashCode())), to);
        System.out.println("  (the same run as before: copied into " + to + ")");
        return null;
      }
    }
    System.out.println("  as run: ./diffuse4j " + String.join(" ", args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.execute(o, e, args.toArray(String[]::new));
    }
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    if (code != 0) {
      return "exit code " + code + ": " + tail(printed, 12);
    }
    Matcher m = RUN_FOLDER.matcher(printed);
    if (command.equals("run") && m.find() && !runs.containsKey(key)) {
      Path made = Path.of(m.group(1).strip());
      copy(made, runCache.resolve(Integer.toHexString(key.hashCode())));
      runs.put(key, Path.of("").toAbsolutePath().relativize(made));
    }
    return null;
  }

  /**
   * What makes a run: its arguments without --out, the options as a sorted list of (name, value)
   * pairs (so the order of --set does not matter); the run folder is not part of it.
   */
  static String runKey(List<String> args) {
    List<String> words = new ArrayList<>();
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      boolean value = a.startsWith("--") && i + 1 < args.size() && !args.get(i + 1).startsWith("--");
      if (a.equals("--out")) {
        i++;
      } else if (value) {
        pairs.add(a + " " + args.get(++i));
      } else {
        words.add(a);
      }
    }
    pairs.sort(null);
    return String.join(" ", words) + " " + String.join(" ", pairs);
  }

  private static Path at(List<String> args, String option) {
    int i = args.indexOf(option);
    return i >= 0 && i + 1 < args.size() ? Path.of(args.get(i + 1)) : null;
  }

  /** The first argument that is not an option (nor the value of --plugins). */
  static String subcommand(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--plugins")) {
        i++;
      } else if (!args.get(i).startsWith("-")) {
        return args.get(i);
      }
    }
    return "";
  }

  /**
   * evaluate trains its Fashion-MNIST classifier on first use (5 epochs, minutes): the test's cache
   * ($DIFFUSE4J_CACHE) gets one trained tiny instead, as EvaluateCommandTest does.
   */
  private static void tinyClassifier() throws IOException {
    Path cache = ClassifierCache.defaultRoot();
    if (!ClassifierCache.present(cache)) {
      ClassifierCache.train(cache, FashionMnist.loadDefault(), new ClassifierCache.Spec(50, 32, 2e-3, 0, 200),
          new PrintStream(new ByteArrayOutputStream()));
    }
  }

  /** Each marker option replaces the same option (for --set: the same key) or is added. */
  static void applyOptions(List<String> args, List<String> options) {
    for (int i = 0; i < options.size(); i++) {
      String name = options.get(i);
      boolean hasValue = i + 1 < options.size() && !options.get(i + 1).startsWith("--");
      String value = hasValue ? options.get(++i) : null;
      int at = -1;
      for (int j = 0; j < args.size(); j++) {
        if (args.get(j).equals(name) && (!name.equals("--set") || j + 1 < args.size() && value != null
            && key(args.get(j + 1)).equals(key(value)))) {
          at = j;
        }
      }
      if (at >= 0 && value != null) {
        args.set(at + 1, value);
      } else if (at < 0) {
        args.add(name);
        if (value != null) {
          args.add(value);
        }
      }
    }
  }

  private static String key(String setting) {
    int eq = setting.indexOf('=');
    return eq < 0 ? setting : setting.substring(0, eq);
  }

  private String serve(List<String> args) throws Exception {
    stopServer();
    if (!args.contains("--port")) {
      args.add("--port");
      args.add("0");
    }
    var f = Class.forName("org.diffuse4j.cli.ServeCommand").getDeclaredField("stop");
    f.setAccessible(true);
    f.set(null, new CountDownLatch(1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int[] code = {-1};
    server = new Thread(() -> code[0] = Main.execute(ps, ps, args.toArray(String[]::new)));
    server.setDaemon(true);
    server.start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline && server.isAlive() && !out.toString(StandardCharsets.UTF_8).contains("serving")) {
      Thread.sleep(50);
    }
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(out.toString(StandardCharsets.UTF_8));
    if (!m.find()) {
      return "serve did not start (exit code " + code[0] + "): " + tail(out.toString(StandardCharsets.UTF_8), 12);
    }
    serverPort = Integer.parseInt(m.group(1));
    return null;
  }

  private void stopServer() throws Exception {
    if (server != null) {
      var f = Class.forName("org.diffuse4j.cli.ServeCommand").getDeclaredField("stop");
      f.setAccessible(true);
      ((CountDownLatch) f.get(null)).countDown();
      server.join(10_000);
      server = null;
      serverPort = 0;
    }
  }

  /** A word with the documented server address pointed at the test's server. */
  private String local(String w) {
    return serverPort == 0 ? w : w.replace("127.0.0.1:8080", "127.0.0.1:" + serverPort);
  }

  private String shell(DocBlocks.Command c) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", local(c.text())).directory(Path.of("").toAbsolutePath().toFile()).redirectErrorStream(true).start();
    byte[] printed = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "did not finish within 2 minutes";
    }
    return p.exitValue() == 0 ? null : "exit code " + p.exitValue() + ": " + tail(new String(printed, StandardCharsets.UTF_8), 12);
  }

  /** Maven is not run inside the build; what it names must exist. */
  private String maven(DocBlocks.Command c) throws IOException {
    List<String> w = c.words();
    List<String> modules = new ArrayList<>();
    Path pom = root.resolve("pom.xml");
    for (int i = 1; i < w.size(); i++) {
      String a = w.get(i);
      if (a.equals("-f")) {
        pom = root.resolve(w.get(++i));
        if (!Files.isRegularFile(pom)) {
          return "no such pom: " + w.get(i);
        }
      } else if (a.equals("-pl")) {
        for (String m : w.get(++i).split(",")) {
          if (!Files.isRegularFile(root.resolve(m).resolve("pom.xml")) || !Files.readString(root.resolve("pom.xml")).contains("<module>" + m + "</module>")) {
            return "no module " + m + " in pom.xml";
          }
          modules.add(m);
        }
      } else if (a.startsWith("-P")) {
        for (String profile : a.substring(2).split(",")) {
          if (!anyPomHasProfile(profile)) {
            return "no Maven profile " + profile + " in the poms";
          }
        }
      } else if (a.startsWith("-Dtest=")) {
        for (String t : a.substring("-Dtest=".length()).split(",")) {
          String cls = t.replace("'", "").replaceAll("#.*", "");
          if (!testClassExists(modules, cls)) {
            return "no test class " + cls + " in " + (modules.isEmpty() ? "the repository" : String.join(",", modules));
          }
        }
      }
    }
    if (!pom.equals(root.resolve("pom.xml")) && w.contains("package")) {
      Path project = root.relativize(pom.getParent());
      if (!project.toString().equals("examples/third-party-solver")) {
        return "the docs test can only build examples/third-party-solver in-process, not " + project;
      }
      String text = Files.readString(pom);
      String artifact = text.replaceAll("(?s).*?</parent>", "").replaceAll("(?s).*?<artifactId>([^<]+)</artifactId>.*", "$1");
      String version = text.replaceAll("(?s)<parent>.*?</parent>", "").replaceAll("(?s).*?<version>([^<]+)</version>.*", "$1");
      ThirdPartyJar.build(Path.of("").toAbsolutePath().resolve(project).resolve("target"), artifact + "-" + version + ".jar");
    }
    return null;
  }

  private boolean anyPomHasProfile(String profile) throws IOException {
    try (Stream<Path> s = Files.walk(root, 2)) {
      for (Path p : s.filter(p -> p.getFileName().toString().equals("pom.xml")).toList()) {
        if (Files.readString(p).contains("<id>" + profile + "</id>")) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean testClassExists(List<String> modules, String cls) throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (String m : modules.isEmpty() ? List.of(".") : modules) {
      dirs.add(root.resolve(m).resolve("src/test/java"));
    }
    dirs.add(root.resolve("src/test/java")); // the acceptance module's tests
    for (Path d : dirs) {
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.walk(d)) {
          if (s.anyMatch(p -> p.getFileName().toString().equals(cls + ".java"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String tail(String text, int lines) {
    String[] all = text.strip().split("\n");
    return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
  }

  static void copy(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
