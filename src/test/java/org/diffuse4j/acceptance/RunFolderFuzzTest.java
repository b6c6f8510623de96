package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.diffuse4j.api.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Run folders are never damaged by a command that reads them: one tiny run is trained once; each
 * read-only command may add only its documented output to it, and each failing command (bad
 * settings, a changed resume, an output that exists or is an input) changes no file anywhere.
 */
class RunFolderFuzzTest {
  @TempDir static Path tmp;

  /** The trained run, its manifest, a run whose training is unfinished, a user's folder and files. */
  static Path run;
  static Path manifest;
  static Path unfinished;
  static Path user;
  static Path data;
  static Path wrongShape;
  static Path link;
  static Path existing;
  static Path existingPng;
  static Path full;
  static Path blankDir;
  static Path noCheckpoint;

  static final String MANIFEST = """
      data: two-moons
      network: {name: mlp, width: 16, depth: 2, time_embedding: 8}
      schedule: rectified-flow
      parameterisation: velocity
      objective: flow-matching
      training: {steps: 50, batch_size: 64, lr: 0.003, log_every: 25, ema: 0.9}
      sampling: {solver: euler, grid: uniform, steps: 4, n: 200, batch_size: 100}
      output: {projections: 16}
      seed: 7
      """;

  @BeforeAll
  static void trainOneTinyRun() throws IOException {
    manifest = Files.writeString(tmp.resolve("m.yaml"), MANIFEST);
    run = tmp.resolve("run");
    ok(Cli.run("run", manifest.toString(), "--out", run.toString()));
    ok(Cli.run("sample", run.toString(), "--name", "first"));
    // A run killed by 'run --resume --set training.steps=50' after it wrote its manifest: checkpoint at step 20 of 50.
    unfinished = tmp.resolve("unfinished");
    ok(Cli.run("run", manifest.toString(), "--out", unfinished.toString(), "--set", "training.steps=20"));
    Path m = unfinished.resolve("manifest.yaml");
    String text = Files.readString(m);
    assertThat(text).contains("steps: 20");
    Files.writeString(m, text.replace("steps: 20", "steps: 50"));

    // A run killed before its first checkpoint: its manifest and log, no checkpoint/.
    noCheckpoint = Files.createDirectories(tmp.resolve("no-checkpoint"));
    Files.copy(run.resolve("manifest.yaml"), noCheckpoint.resolve("manifest.yaml"));
    Files.writeString(noCheckpoint.resolve("run.log"), "run folder: " + noCheckpoint + "\n");

    user = Files.createDirectories(tmp.resolve("user"));
    Files.writeString(user.resolve("notes.txt"), "my notes");
    data = tmp.resolve("x.npy");
    double[] rows = new double[40];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Math.sin(i) * 0.8;
    }
    Npy.writeFloat32(data, rows, 20, 2);
    wrongShape = tmp.resolve("wrong.npy");
    Npy.writeFloat32(wrongShape, new double[30], 10, 3);
    link = tmp.resolve("link.npy");
    Files.createSymbolicLink(link, data);
    existing = Files.writeString(tmp.resolve("existing.npy"), "not to be overwritten");
    existingPng = Files.writeString(tmp.resolve("existing.png"), "not to be overwritten");
    blankDir = Files.writeString(tmp.resolve("blank-dir.yaml"), MANIFEST.replace("output: {projections: 16}",
        "output: {projections: 16, dir: \"\"}"));
    full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "keep");
  }

  private static void ok(Cli c) {
    assertThat(c.code()).as("stdout: %s%nstderr: %s", c.out(), c.err()).isZero();
  }

  private static String s(Path p) {
    return p.toString();
  }

  /** A case: the arguments (built once the run exists) and what the command may add to the run folder. */
  record ReadOnly(Function<Void, String[]> args, String[] added) {}

  private static Arguments readOnly(String name, Function<Void, String[]> args, String... added) {
    return Arguments.of(name, new ReadOnly(args, added));
  }

  static Stream<Arguments> readOnlyCommands() {
    return Stream.of(
        readOnly("sample, default settings", v -> new String[] {"sample", s(run)},
            "samples/euler-uniform-4/manifest.yaml", "samples/euler-uniform-4/samples.npy",
            "samples/euler-uniform-4/samples.png", "samples/euler-uniform-4/metrics.json"),
        readOnly("sample --set sampling.steps=2", v -> new String[] {"sample", s(run), "--set", "sampling.steps=2"},
            "samples/euler-uniform-2/samples.npy"),
        readOnly("sample another solver and n", v -> new String[] {"sample", s(run), "--set", "sampling.solver=heun",
            "--set", "sampling.n=50"}, "samples/heun-uniform-4/samples.npy"),
        readOnly("sample another grid", v -> new String[] {"sample", s(run), "--set", "sampling.grid=quadratic"},
            "samples/euler-quadratic-4/samples.npy"),
        readOnly("sample --name with another seed", v -> new String[] {"sample", s(run), "--set", "sampling.seed=3",
            "--name", "seed3"}, "samples/seed3/samples.npy"),
        readOnly("sample with raw weights", v -> new String[] {"sample", s(run), "--set", "sampling.use_ema=false",
            "--name", "raw"}, "samples/raw/metrics.json"),
        readOnly("sample --out elsewhere", v -> new String[] {"sample", s(run), "--out", s(tmp.resolve("elsewhere"))}),
        readOnly("sample --out an empty folder", v -> new String[] {"sample", s(run), "--out", s(emptyFolder("empty-out"))}),
        readOnly("likelihood of data drawn", v -> new String[] {"likelihood", s(run), "--n", "20", "--steps", "4"}),
        readOnly("likelihood of a file", v -> new String[] {"likelihood", s(run), "--data", s(data), "--steps", "4"}),
        readOnly("likelihood --sample --out", v -> new String[] {"likelihood", s(run), "--sample", "10", "--steps", "4",
            "--out", s(tmp.resolve("drawn.npy"))}),
        readOnly("encode", v -> new String[] {"encode", s(run), "--data", s(data), "--out", s(tmp.resolve("z.npy")),
            "--steps", "4"}),
        readOnly("encode --out a new file inside the run", v -> new String[] {"encode", s(run), "--data", s(data),
            "--out", s(run.resolve("latents.npy")), "--steps", "4"}, "latents.npy"),
        readOnly("reflow --out elsewhere", v -> new String[] {"reflow", s(run), "--n", "20", "--out", s(tmp.resolve("pairs"))}),
        readOnly("reflow, default folder", v -> new String[] {"reflow", s(run), "--n", "20"},
            "reflow-pairs/x0.npy", "reflow-pairs/noise.npy", "reflow-pairs/pairs.json"),
        readOnly("validate the run's manifest", v -> new String[] {"validate", s(run.resolve("manifest.yaml"))}),
        readOnly("inspect a grid", v -> new String[] {"inspect", "grid", "uniform", "--schedule", "rectified-flow"}),
        readOnly("inspect a schedule at t", v -> new String[] {"inspect", "schedule", "rectified-flow", "--t", "0.5"}));
  }

  private static Path emptyFolder(String name) {
    try {
      return Files.createDirectories(tmp.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readOnlyCommands")
  void aReadOnlyCommandAddsOnlyItsOwnOutputToTheRunFolder(String name, ReadOnly c) {
    Map<String, String> before = Fuzz.fingerprint(run);
    Cli r = Cli.run(c.args().apply(null));
    ok(r);
    Map<String, String> after = Fuzz.fingerprint(run);
    for (Map.Entry<String, String> e : before.entrySet()) {
      assertThat(after.get(e.getKey())).as("%s must leave %s as it was", name, e.getKey()).isEqualTo(e.getValue());
    }
    Map<String, String> added = new TreeMap<>(after);
    added.keySet().removeAll(before.keySet());
    List<String> allowed = new ArrayList<>();
    for (String a : c.added()) {
      assertThat(added).as("%s adds %s", name, a).containsKey(a);
      Path p = Path.of(a);
      for (int k = 1; k <= p.getNameCount(); k++) {
        allowed.add(p.subpath(0, k).toString());
      }
    }
    String folder = c.added().length > 0 && c.added()[0].startsWith("samples/")
        ? Path.of(c.added()[0]).subpath(0, 2).toString() : c.added().length > 0 ? Path.of(c.added()[0]).getName(0).toString() : null;
    for (String a : added.keySet()) {
      assertThat(allowed.contains(a) || (folder != null && a.startsWith(folder)))
          .as("%s may add only its documented output, not %s", name, a).isTrue();
    }
  }

  /** A failing case: arguments, the exit status and the words the message must contain. */
  record Failing(Function<Void, String[]> args, int exit, String[] message) {}

  private static Arguments failing(String name, Function<Void, String[]> args, String... message) {
    return Arguments.of(name, new Failing(args, Fuzz.USAGE, message));
  }

  private static String[] resume(String... set) {
    List<String> a = new ArrayList<>(List.of("run", s(manifest), "--out", s(run), "--resume"));
    for (String kv : set) {
      a.add("--set");
      a.add(kv);
    }
    return a.toArray(String[]::new);
  }

  static Stream<Arguments> failingCommands() {
    return Stream.of(
        // sample: bad settings, a run that cannot be sampled, an output that exists or is an input
        failing("sample with a solver that needs an eager backend", v -> new String[] {"sample", s(run), "--set",
            "sampling.solver=rk45"}, "rk45"),
        failing("sample with a typo in a key", v -> new String[] {"sample", s(run), "--set", "sampling.solvr=heun"},
            "sampling.solvr", "did you mean"),
        failing("sample with an unknown solver", v -> new String[] {"sample", s(run), "--set", "sampling.solver=hune"},
            "unknown solver 'hune'"),
        failing("sample with 0 steps", v -> new String[] {"sample", s(run), "--set", "sampling.steps=0"}, "sampling.steps"),
        failing("sample changing training", v -> new String[] {"sample", s(run), "--set", "training.steps=100"},
            "only changes sampling", "'run'"),
        failing("sample changing the network", v -> new String[] {"sample", s(run), "--set", "network.width=64"},
            "only changes sampling"),
        failing("sample changing the seed", v -> new String[] {"sample", s(run), "--set", "seed=3"}, "only changes sampling"),
        failing("sample with labels on unlabelled data", v -> new String[] {"sample", s(run), "--set", "sampling.label=all"},
            "sampling.label", "no labels"),
        failing("sample --init missing", v -> new String[] {"sample", s(run), "--init", s(tmp.resolve("none.npy"))},
            "sampling.init", "not found"),
        failing("sample --init of the wrong shape", v -> new String[] {"sample", s(run), "--init", s(wrongShape)},
            "sampling.init", "[10, 3]"),
        failing("sample an unfinished run", v -> new String[] {"sample", s(unfinished)}, "unfinished", "step 20 of 50",
            "--resume"),
        failing("sample with an explicit grid without times", v -> new String[] {"sample", s(run), "--set",
            "sampling.grid=explicit"}, "explicit grid", "times"),
        failing("sample a run stopped before its first checkpoint", v -> new String[] {"sample", s(noCheckpoint)},
            "no checkpoint", "--force"),
        failing("reflow a folder without a checkpoint", v -> new String[] {"reflow", s(noCheckpoint), "--out",
            s(tmp.resolve("n-pairs"))}, "no checkpoint", "train the run first"),
        failing("resume a run stopped before its first checkpoint", v -> new String[] {"run", s(manifest), "--out",
            s(noCheckpoint), "--resume"}, "no checkpoint", "--force"),
        failing("sample a user's folder", v -> new String[] {"sample", s(user)}, "not a run folder"),
        failing("sample a missing folder", v -> new String[] {"sample", s(tmp.resolve("nothing"))}, "not a run folder"),
        failing("sample --out an existing folder", v -> new String[] {"sample", s(run), "--out", s(full)}, "exists",
            "--force"),
        failing("sample --name taken", v -> new String[] {"sample", s(run), "--name", "first"}, "exists", "--force"),
        failing("sample --out the run folder", v -> new String[] {"sample", s(run), "--out", s(run), "--force"},
            "the run folder"),
        failing("sample --out the run's checkpoint", v -> new String[] {"sample", s(run), "--out",
            s(run.resolve("checkpoint")), "--force"}, "part of the run folder", "checkpoint"),
        failing("sample --out a folder holding the run", v -> new String[] {"sample", s(run), "--out", s(tmp), "--force"},
            "holds the run folder"),
        failing("sample --name a path", v -> new String[] {"sample", s(run), "--name", "../x"}, "not a plain folder name"),
        failing("sample --name and --out", v -> new String[] {"sample", s(run), "--name", "a", "--out", s(tmp.resolve("b"))},
            "give one of them"),
        failing("sample --out \"\"", v -> new String[] {"sample", s(run), "--out", ""}, "--out is empty"),
        // run: an existing run, a changed resume, a folder that is not a run, no folder at all
        failing("run into an existing run", v -> new String[] {"run", s(manifest), "--out", s(run)}, "already holds a run",
            "--resume", "--force"),
        failing("resume with a changed network", v -> resume("network.width=64"), "network.width: 16 → 64",
            "does not fit", "--set network.width=16"),
        failing("resume with a changed seed", v -> resume("seed=8"), "seed: 7 → 8", "--set seed=7"),
        failing("resume with a changed schedule", v -> resume("schedule=trig"), "schedule: rectified-flow → trig"),
        failing("resume with a changed parameterisation", v -> resume("parameterisation=x0"),
            "parameterisation: velocity → x0"),
        failing("resume with a changed objective", v -> resume("objective=ot-flow-matching"),
            "objective: flow-matching → ot-flow-matching"),
        failing("resume with changed data", v -> resume("data=spirals"), "data: two-moons → spirals"),
        failing("resume with a changed learning rate", v -> resume("training.lr=0.01"), "training.lr: 0.003 → 0.01"),
        failing("resume with a changed precision", v -> resume("precision=float64"), "precision: float32 → float64"),
        failing("resume with fewer steps than the checkpoint", v -> resume("training.steps=20"),
            "training.steps 20", "step 50", "may only grow"),
        failing("resume with a solver that needs an eager backend", v -> resume("sampling.solver=rk45"), "rk45"),
        failing("resume with labels on unlabelled data", v -> resume("sampling.label=all"), "no labels"),
        failing("resume with --init of the wrong shape", v -> new String[] {"run", s(manifest), "--out", s(run), "--resume",
            "--init", s(wrongShape)}, "sampling.init", "[10, 3]"),
        failing("resume with --init the run's own samples", v -> new String[] {"run", s(manifest), "--out", s(run),
            "--resume", "--init", s(run.resolve("samples.npy"))}, "sampling.init", "one of the files the run", "writes"),
        failing("resume and force", v -> new String[] {"run", s(manifest), "--out", s(run), "--resume", "--force"},
            "give one of them"),
        failing("resume a folder without a run", v -> new String[] {"run", s(manifest), "--out", s(tmp.resolve("new")),
            "--resume"}, "no run in"),
        failing("run into a user's folder", v -> new String[] {"run", s(manifest), "--out", s(user)},
            "not a Diffuse4J run folder", "notes.txt"),
        failing("run into a user's folder with --force", v -> new String[] {"run", s(manifest), "--out", s(user), "--force"},
            "not a Diffuse4J run folder"),
        failing("run --out a file", v -> new String[] {"run", s(manifest), "--out", s(existing)}, "is a file"),
        failing("run --out \"\"", v -> new String[] {"run", s(manifest), "--out", ""}, "--out is empty",
            "working directory"),
        failing("run with an empty output.dir", v -> new String[] {"run", s(blankDir)}, "output.dir"),
        // encode, likelihood, reflow, evaluate, inspect: outputs that exist or are inputs
        failing("encode --out the --data file", v -> new String[] {"encode", s(run), "--data", s(data), "--out", s(data)},
            "is --data"),
        failing("encode --out a link to the --data file", v -> new String[] {"encode", s(run), "--data", s(data), "--out",
            s(link), "--force"}, "is --data"),
        failing("encode --out the --data file by another path", v -> new String[] {"encode", s(run), "--data", s(link),
            "--out", s(tmp.resolve("user/../x.npy")), "--force"}, "is --data"),
        failing("encode --out an existing file", v -> new String[] {"encode", s(run), "--data", s(data), "--out",
            s(existing)}, "exists", "--force"),
        failing("encode --out the run's manifest", v -> new String[] {"encode", s(run), "--data", s(data), "--out",
            s(run.resolve("manifest.yaml")), "--force"}, "part of the run folder", "manifest.yaml"),
        failing("encode --out the run's samples", v -> new String[] {"encode", s(run), "--data", s(data), "--out",
            s(run.resolve("samples.npy")), "--force"}, "part of the run folder"),
        failing("encode --out a folder", v -> new String[] {"encode", s(run), "--data", s(data), "--out", s(full)},
            "is a folder"),
        failing("encode --out \"\"", v -> new String[] {"encode", s(run), "--data", s(data), "--out", ""}, "--out is empty"),
        failing("likelihood --out an existing file", v -> new String[] {"likelihood", s(run), "--sample", "5", "--out",
            s(existing)}, "exists", "--force"),
        failing("likelihood --out the manifest", v -> new String[] {"likelihood", s(manifest), "--sample", "5", "--out",
            s(manifest), "--force"}, "is the manifest"),
        failing("reflow --out an existing folder", v -> new String[] {"reflow", s(run), "--out", s(full)}, "exists",
            "--force"),
        failing("reflow --out the run's checkpoint", v -> new String[] {"reflow", s(run), "--out",
            s(run.resolve("checkpoint")), "--force"}, "part of the run folder"),
        failing("reflow changing training", v -> new String[] {"reflow", s(run), "--set", "training.steps=5"},
            "only changes sampling"),
        failing("reflow with a stochastic solver", v -> new String[] {"reflow", s(run), "--set",
            "sampling.solver=euler-maruyama", "--out", s(tmp.resolve("sde-pairs"))}, "deterministic"),
        failing("reflow an unfinished run", v -> new String[] {"reflow", s(unfinished), "--out", s(tmp.resolve("u-pairs"))},
            "unfinished", "--resume"),
        failing("evaluate a run that is not of images", v -> new String[] {"evaluate", s(run)}, "28×28"),
        failing("inspect schedule without --t or --out", v -> new String[] {"inspect", "schedule", "vp"}, "--out PNG"),
        failing("inspect schedule --out an existing file", v -> new String[] {"inspect", "schedule", "vp", "--out",
            s(existingPng)}, "exists", "--force"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingCommands")
  void aFailingCommandChangesNothing(String name, Failing c) throws IOException {
    Path cwd = Path.of("").toAbsolutePath();
    List<String> cwdBefore = names(cwd);
    Fuzz.Watch w = Fuzz.watch(tmp);
    Cli r = Cli.run(c.args().apply(null));
    System.out.printf("[%s] exit %d: %s", name, r.code(), r.err());
    w.assertRejected(r, c.exit(), c.message());
    assertThat(names(cwd)).as("%s writes nothing into the working directory", name).isEqualTo(cwdBefore);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void sampleNamesAreUniqueAndItsManifestHoldsTheSettingsUsed() throws IOException {
    ok(Cli.run("sample", s(run), "--set", "sampling.steps=3"));
    ok(Cli.run("sample", s(run), "--set", "sampling.steps=3"));
    Path first = run.resolve("samples/euler-uniform-3");
    Path second = run.resolve("samples/euler-uniform-3-2");
    assertThat(Files.readString(first.resolve("manifest.yaml"))).contains("steps: 3").contains("# samples of the run");
    assertThat(Npy.read(second.resolve("samples.npy")).data()).containsExactly(Npy.read(first.resolve("samples.npy")).data());
    assertThat(Files.readString(run.resolve("manifest.yaml"))).contains("steps: 4").doesNotContain("steps: 3");
  }

  @Test
  void runWithForceMovesTheOldRunAsideWithEveryFileAsItWas() throws IOException {
    Path replace = tmp.resolve("replace");
    copyTree(run, replace);
    Map<String, String> old = Fuzz.fingerprint(replace);
    Cli c = Cli.run("run", s(manifest), "--out", s(replace), "--force", "--set", "training.steps=10");
    ok(c);
    Path aside;
    try (Stream<Path> list = Files.list(tmp)) {
      aside = list.filter(p -> p.getFileName().toString().startsWith("replace.replaced-")).findFirst().orElseThrow();
    }
    assertThat(Fuzz.fingerprint(aside)).as("the old run, moved aside, not deleted").isEqualTo(old);
    assertThat(c.out()).contains(aside.toString());
    assertThat(Files.readString(replace.resolve("checkpoint/state.json"))).contains("\"step\":10");
    assertThat(replace.resolve("samples")).as("a fresh run folder").doesNotExist();
  }

  @Test
  void runIntoAnEmptyFolderThenResumeWithOtherSamplingSettingsKeepsTheCheckpoint() throws IOException {
    Path empty = emptyFolder("empty-run");
    ok(Cli.run("run", s(manifest), "--out", s(empty), "--set", "training.steps=10"));
    Map<String, String> checkpoint = Fuzz.fingerprint(empty.resolve("checkpoint"));
    Cli c = Cli.run("run", s(manifest), "--out", s(empty), "--resume", "--set", "training.steps=10",
        "--set", "sampling.steps=2", "--set", "training.log_every=5");
    ok(c);
    assertThat(c.out()).contains("nothing to train");
    assertThat(Fuzz.fingerprint(empty.resolve("checkpoint"))).isEqualTo(checkpoint);
    assertThat(Files.readString(empty.resolve("manifest.yaml"))).contains("steps: 2");
  }

  @Test
  void aRunKilledWithSigkillMidTrainingResumesToTheSameBitsAsAnUninterruptedOne() throws Exception {
    String training = "training: {steps: 50, batch_size: 64, lr: 0.003, log_every: 25, ema: 0.9}";
    assertThat(MANIFEST).contains(training);
    Path m = Files.writeString(tmp.resolve("long.yaml"), MANIFEST.replace(training,
        "training: {steps: 1000, batch_size: 64, lr: 0.003, log_every: 500, ema: 0.9, checkpoint_every: 10}"));
    Path killed = tmp.resolve("killed");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true",
        "org.diffuse4j.cli.Main", "run", s(m), "--out", s(killed))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.out").toFile()).start();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(killed.resolve("checkpoint/state.json")) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(150); // into later checkpoints, possibly in the middle of one's swap
    assertThat(p.isAlive()).as("still training when killed; output: %s", Files.readString(tmp.resolve("killed.out"))).isTrue();
    p.destroyForcibly().waitFor(); // SIGKILL on Linux and macOS
    assertThat(killed.resolve("samples.npy")).as("killed before it finished").doesNotExist();
    try (Stream<Path> left = Files.list(killed)) {
      System.out.printf("killed with %s; state %s%n", left.map(f -> f.getFileName().toString()).sorted().toList(),
          Files.exists(killed.resolve("checkpoint/state.json")) ? Files.readString(killed.resolve("checkpoint/state.json"))
              .replaceAll("\\[[^]]*]", "[…]") : "(mid-swap)");
    }

    Cli refused = Cli.run("sample", s(killed));
    assertThat(refused.code()).isEqualTo(Fuzz.USAGE);
    assertThat(refused.err()).containsAnyOf("unfinished", "no checkpoint");
    // checkpoint_every changes how often the state is saved, not the numbers: a resume may change it
    ok(Cli.run("run", s(m), "--out", s(killed), "--resume", "--set", "training.checkpoint_every=0"));
    Path whole = tmp.resolve("uninterrupted");
    ok(Cli.run("run", s(m), "--out", s(whole), "--set", "training.checkpoint_every=0"));
    for (String f : List.of("checkpoint/state.json", "checkpoint/variables.data-00000-of-00001", "samples.npy")) {
      assertThat(Files.readAllBytes(killed.resolve(f))).as("%s after kill -9 and --resume", f)
          .isEqualTo(Files.readAllBytes(whole.resolve(f)));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }
}
