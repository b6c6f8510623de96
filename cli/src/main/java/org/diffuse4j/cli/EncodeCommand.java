package org.diffuse4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.runtime.likelihood.Encoder;
import org.diffuse4j.runtime.likelihood.Inputs;
import org.diffuse4j.runtime.likelihood.RoundTrip;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.run.OutputPaths;
import org.diffuse4j.runtime.run.ScaleOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code encode RUN_DIR_OR_MANIFEST --data x.npy --out z.npy}: deterministic ODE inversion x0 → x_T and its round-trip error. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode data to noise by running the probability-flow ODE forward; reports the round-trip error.")
final class EncodeCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Mixin OdeOptions ode;

  @Option(names = "--data", required = true, paramLabel = "NPY", description = "rows to encode (n × dim)")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "NPY", description = "where to write the latents x_T (n × dim): a new file, "
      + "never the --data file or a run's own file")
  Path out;

  @Option(names = "--force", description = "overwrite an existing --out file")
  boolean force;

  @Option(names = "--solver", paramLabel = "NAME", description = "a deterministic solver (default the manifest's sampling.solver)")
  String solver;

  @Option(names = "--steps", paramLabel = "N", description = "solver steps (default the manifest's sampling.steps)")
  Integer steps;

  @Option(names = "--spark", paramLabel = "MASTER", description = "encode the rows as an Apache Spark job on MASTER (e.g. local[2]); "
      + "bitwise the latents of one process; needs the diffuse4j-spark module (docs/scale-out.md)")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "with --spark: the number of tasks (default: Spark's default parallelism)")
  Integer partitions;

  @Override
  public Integer call() throws Exception {
    if (partitions != null && (spark == null || partitions < 1)) {
      throw new OptionException(spark == null ? "--partitions sets the number of Spark tasks; give it with --spark MASTER"
          : "--partitions must be >= 1, got " + partitions);
    }
    ScaleOut scaleOut = spark == null ? null : ScaleOut.find("spark");
    Inputs.Target t = ode.target(main.registry());
    Manifest m = t.manifest();
    OutputPaths.checkFile(out, "--out", force, OutputPaths.Input.file("--data", data), ode.input());
    Schedule schedule = m.schedule();
    int n = steps != null ? steps : m.sampling().steps();
    OdeOptions.Range range = ode.range(main.registry(), schedule, n, schedule.tMin());
    String name = solver != null ? solver : specName(m.sampling().solver());
    Solver method = solver != null ? main.registry().create(Kind.SOLVER, solver, "--solver") : m.solver();
    int dim = m.data().dim();
    double[] x = Inputs.data(data, m, 0, 0);
    int rows = x.length / dim;

    long t0 = System.nanoTime();
    RoundTrip r;
    if (scaleOut != null) {
      r = scaleOut.encode(new ScaleOut.EncodeJob(spark, partitions == null ? 0 : partitions, m.resolved(),
          PluginDiscovery.pluginsFolder(main.plugins), t.checkpoint() == null ? null : t.checkpoint().dir().getParent(), solver,
          range.times(), ode.batch), x, rows);
    } else {
      try (Encoder e = new Encoder(m, method, name, range.times(), dim, ode.batch, t.checkpoint())) {
        r = e.roundTrip(x, rows);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (m.precision() == Precision.FLOAT64) {
      Npy.writeFloat64(out, r.latents(), rows, dim);
    } else {
      Npy.writeFloat32(out, r.latents(), rows, dim);
    }

    Map<String, Object> o = new LinkedHashMap<>();
    o.put("max_error", r.maxError());
    o.put("rms_error", r.rmsError());
    o.put("n", rows);
    o.put("dim", dim);
    o.put("nfe", r.nfe());
    o.put("solver", name);
    o.put("steps", n);
    o.put("grid", ode.grid);
    o.put("t_min", range.tMin());
    o.put("t_max", range.tMax());
    o.put("out", out.toAbsolutePath().toString());
    o.put("seconds", seconds);
    ode.print(main.out, o, 10);
    return 0;
  }

  /** The plugin name of a spec (a name, or a map with {@code name}). */
  private static String specName(Object spec) {
    return spec instanceof Map<?, ?> map ? String.valueOf(map.get("name")) : String.valueOf(spec);
  }
}
