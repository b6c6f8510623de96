package org.diffuse4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.reflow.ReflowPairs;
import org.diffuse4j.runtime.run.Experiment;
import org.diffuse4j.runtime.run.OutputPaths;
import org.diffuse4j.runtime.run.ScaleOut;
import org.diffuse4j.runtime.train.Checkpoint;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reflow RUN_DIR}: writes (noise, endpoint) pairs of a trained run's probability-flow ODE for
 * {@code objective: reflow} ({@code x0.npy}, {@code noise.npy}, {@code pairs.json}) and prints their
 * mean transport cost E‖x0 − ε‖². Writes only into a new folder (or, with {@code --force}, moves the
 * old one aside); never into the run's own files. With {@code --spark MASTER} the pairs are a Spark
 * job (bitwise the same files, plus {@code pairs.parquet}; docs/scale-out.md).
 */
@Command(name = "reflow", mixinStandardHelpOptions = true,
    description = {"Write (noise, endpoint) pairs of a trained run's ODE for 'objective: reflow'; prints their transport cost.",
        "Writes a new folder (an existing non-empty --out is refused unless --force); never changes the run's files."})
final class ReflowCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by 'run'")
  Path dir;

  @Option(names = "--n", paramLabel = "N", description = "number of pairs (default the run's sampling.n)")
  Integer n;

  @Option(names = "--out", paramLabel = "DIR", description = "new or empty folder for x0.npy, noise.npy and pairs.json (default RUN_DIR/reflow-pairs)")
  Path out;

  @Option(names = "--force", description = "the --out folder exists: move it aside (to DIR.replaced-DATE-TIME; nothing is deleted)")
  boolean force;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a sampling value: the ODE solver, grid, steps, batch size or seed, e.g. sampling.seed=1")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Option(names = "--spark", paramLabel = "MASTER", description = "compute the pairs as an Apache Spark job on MASTER (e.g. local[2], "
      + "local[*], spark://HOST:7077, yarn): bitwise the pairs of a plain 'reflow', plus pairs.parquet (index, label, x0, "
      + "noise); needs the diffuse4j-spark module (docs/scale-out.md)")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "with --spark: the number of tasks (default: Spark's default parallelism)")
  Integer partitions;

  @Override
  public Integer call() throws Exception {
    if (partitions != null && spark == null) {
      throw new OptionException("--partitions " + partitions + " sets the number of Spark tasks; give it with --spark MASTER");
    }
    if (partitions != null && partitions < 1) {
      throw new OptionException("--partitions must be >= 1, got " + partitions);
    }
    ScaleOut scaleOut = spark == null ? null : ScaleOut.find("spark");
    Map<String, Object> tree = RunFolder.samplingTree(dir, overrides, "reflow");
    if (n != null) {
      if (n < 1) {
        throw new OptionException("--n must be >= 1, got " + n);
      }
      ManifestLoader.override(tree, "sampling.n=" + n);
    }
    Manifest m = ManifestLoader.resolve(tree, main.registry());
    Path target = out != null ? out : dir.resolve("reflow-pairs");
    OutputPaths.checkFolder(target, "--out", force, OutputPaths.Input.run(dir));
    boolean trainable = trainable(m);
    if (trainable) {
      Experiment.requireTrained(m, dir, new Checkpoint(dir), m.data().dim());
    }

    Map<String, Object> o = new LinkedHashMap<>();
    Path staged = OutputPaths.staging(target);
    try {
      long t0 = System.nanoTime();
      ReflowPairs pairs;
      int nfe;
      if (scaleOut == null) {
        pairs = ReflowPairs.generate(m, new Checkpoint(dir), trainable, m.sampling().n(), main.err);
        nfe = pairs.nfe();
      } else {
        nfe = ReflowPairs.prepare(m, new Checkpoint(dir), trainable);
        ScaleOut.SampleJob job = new ScaleOut.SampleJob(spark, partitions == null ? 0 : partitions, m.resolved(),
            PluginDiscovery.pluginsFolder(main.plugins), dir);
        ScaleOut.Pairs rows = scaleOut.reflow(job, staged, main.err); // its progress lines on stderr: --json owns stdout
        pairs = rows == null ? null : new ReflowPairs(rows.x0(), rows.noise(), m.sampling().n(), m.data().dim(), nfe);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;

      if (pairs != null) {
        o.put("transport_cost", pairs.transportCost());
        o.put("independent_cost", pairs.independentCost());
      }
      o.put("n", m.sampling().n());
      o.put("dim", m.data().dim());
      o.put("nfe", nfe);
      o.put("solver", m.resolved().get("sampling") instanceof Map<?, ?> s ? s.get("solver") : null);
      o.put("steps", m.sampling().steps());
      o.put("seed", m.samplingSeed());
      o.put("run", dir.toAbsolutePath().toString());
      if (pairs != null) {
        o.put("x0", target.resolve(ReflowPairs.ENDPOINTS).toAbsolutePath().toString());
        o.put("noise", target.resolve(ReflowPairs.NOISE).toAbsolutePath().toString());
        pairs.write(staged, m.precision());
      }
      if (scaleOut != null) {
        o.put("parquet", target.resolve("pairs.parquet").toAbsolutePath().toString());
      }
      o.put("seconds", seconds);
      AtomicFiles.writeString(staged.resolve("pairs.json"), JSON.writeValueAsString(o));
      Path aside = OutputPaths.publish(staged, target);
      if (aside != null) {
        main.err.printf("moved the previous %s to %s%n", target, aside);
      }
    } finally {
      OutputPaths.discard(staged);
    }
    if (json) {
      main.out.println(JSON.writeValueAsString(o));
    } else {
      o.forEach((k, v) -> main.out.printf("%-15s %s%n", k, v));
      if (o.containsKey("x0")) {
        main.out.printf("train on them with: data: {name: npy, path: %s, noise: %s}, objective: reflow%n", o.get("x0"), o.get("noise"));
      } else {
        main.out.printf("the pairs are too many for x0.npy and noise.npy; they are in %s%n", o.get("parquet"));
      }
    }
    return 0;
  }

  /** Whether the run's network has weights (then a checkpoint is required). */
  private static boolean trainable(Manifest m) {
    try (Graph g = new Graph()) {
      return m.network().build(new Backend(Ops.create(g), m.precision()), m.data().dim(), m.seed()).trainable();
    }
  }
}
