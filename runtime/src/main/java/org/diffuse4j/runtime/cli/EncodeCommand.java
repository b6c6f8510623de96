package org.diffuse4j.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.runtime.io.Npy;
import org.diffuse4j.runtime.likelihood.Encoder;
import org.diffuse4j.runtime.likelihood.Inputs;
import org.diffuse4j.runtime.likelihood.RoundTrip;
import org.diffuse4j.runtime.manifest.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code encode RUN_DIR_OR_MANIFEST --data x.npy --out z.npy}: deterministic ODE inversion x0 → x_T and its round-trip error. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode data to noise by running the probability-flow ODE forward; reports the round-trip error.")
final class EncodeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_DIR_OR_MANIFEST", description = "a run folder (uses its checkpoint) or a manifest ('network: gmm' needs no training)")
  Path target;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a manifest value, e.g. precision=float64")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--data", required = true, paramLabel = "NPY", description = "rows to encode (n × dim)")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "NPY", description = "where to write the latents x_T (n × dim)")
  Path out;

  @Option(names = "--solver", paramLabel = "NAME", description = "a deterministic solver (default the manifest's sampling.solver)")
  String solver;

  @Option(names = "--steps", paramLabel = "N", description = "solver steps (default the manifest's sampling.steps)")
  Integer steps;

  @Option(names = "--grid", paramLabel = "NAME", description = "grid plugin placing the steps between t_min and t_max (default uniform)")
  String grid = "uniform";

  @Option(names = "--t-min", paramLabel = "T", description = "time at which the data is read (default the schedule's t_min)")
  Double tMin;

  @Option(names = "--t-max", paramLabel = "T", description = "time of the latents (default the schedule's t_max)")
  Double tMax;

  @Option(names = "--batch", paramLabel = "B", description = "rows per integration (default 500)")
  int batch = 500;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (batch < 1) {
      throw new OptionException("--batch must be >= 1, got " + batch);
    }
    Inputs.Target t = Inputs.target(target, overrides, main.registry());
    Manifest m = t.manifest();
    Schedule schedule = m.schedule();
    int n = steps != null ? steps : m.sampling().steps();
    double lo = tMin != null ? tMin : schedule.tMin();
    double hi = tMax != null ? tMax : schedule.tMax();
    double[] times = Inputs.increasingTimes(main.registry(), grid, schedule, n, lo, hi);
    String name = solver != null ? solver : specName(m.sampling().solver());
    Solver ode = solver != null ? main.registry().create(Kind.SOLVER, solver, "--solver") : m.solver();
    int dim = m.data().dim();
    double[] x = Inputs.data(data, m, 0, 0);
    int rows = x.length / dim;

    long t0 = System.nanoTime();
    RoundTrip r;
    try (Encoder e = new Encoder(m, ode, name, times, dim, Math.min(batch, rows), t.checkpoint())) {
      r = e.roundTrip(x, rows);
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
    o.put("grid", grid);
    o.put("t_min", lo);
    o.put("t_max", hi);
    o.put("out", out.toAbsolutePath().toString());
    o.put("seconds", seconds);
    if (json) {
      main.out.println(JSON.writeValueAsString(o));
    } else {
      o.forEach((k, v) -> main.out.printf("%-10s %s%n", k, v));
    }
    return 0;
  }

  /** The plugin name of a spec (a name, or a map with {@code name}). */
  private static String specName(Object spec) {
    return spec instanceof Map<?, ?> map ? String.valueOf(map.get("name")) : String.valueOf(spec);
  }
}
