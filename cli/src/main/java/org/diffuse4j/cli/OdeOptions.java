package org.diffuse4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.likelihood.Inputs;
import org.diffuse4j.runtime.run.OutputPaths;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The target and integration options shared by {@code likelihood} and {@code encode} (a picocli mixin). */
final class OdeOptions {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The integration range t_min … t_max and its increasing grid. */
  record Range(double tMin, double tMax, double[] times) {}

  @Parameters(index = "0", paramLabel = "RUN_DIR_OR_MANIFEST", description = "a run folder (uses its checkpoint) or a manifest ('network: gmm' needs no training)")
  Path target;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a manifest value, e.g. precision=float64")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--grid", paramLabel = "NAME", description = "grid plugin placing the steps between t_min and t_max (default uniform)")
  String grid = "uniform";

  @Option(names = "--t-min", paramLabel = "T", description = "time at which the data is read (likelihood: default 1e-5, or the schedule's t_min when above 1e-3; encode: the schedule's t_min)")
  Double tMin;

  @Option(names = "--t-max", paramLabel = "T", description = "time of the latents and the prior (default the schedule's t_max)")
  Double tMax;

  @Option(names = "--batch", paramLabel = "B", description = "chunk size: rows [kB, (k+1)B) are integrated together, the last chunk padded (default 500). "
      + "For one B, CPU and build the results are bitwise the same whatever the row count; another B changes them by float rounding only "
      + "(up to 1e-6 measured, docs/reliability.md). rk45 shares its step sizes across a chunk, so with it a row also depends on its chunk's other rows.")
  int batch = 500;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  /** Reads the run folder or manifest with the overrides, after checking {@code --batch}. */
  Inputs.Target target(PluginRegistry registry) {
    if (batch < 1) {
      throw new OptionException("--batch must be >= 1, got " + batch);
    }
    return Inputs.target(target, overrides, registry);
  }

  /** What the target is to an output check: the run folder (its own files protected) or the manifest file. */
  OutputPaths.Input input() {
    return java.nio.file.Files.isDirectory(target) ? OutputPaths.Input.run(target) : OutputPaths.Input.file("the manifest", target);
  }

  /** The range (given, or {@code defaultTMin} … the schedule's t_max) and {@code steps} grid intervals over it. */
  Range range(PluginRegistry registry, Schedule schedule, int steps, double defaultTMin) {
    double lo = tMin != null ? tMin : defaultTMin;
    double hi = tMax != null ? tMax : schedule.tMax();
    return new Range(lo, hi, Inputs.increasingTimes(registry, grid, schedule, steps, lo, hi));
  }

  /** Prints the result as JSON with {@code --json}, else as aligned "key value" lines. */
  void print(PrintStream out, Map<String, Object> result, int keyWidth) throws JsonProcessingException {
    if (json) {
      out.println(JSON.writeValueAsString(result));
    } else {
      result.forEach((k, v) -> out.printf("%-" + keyWidth + "s %s%n", k, v));
    }
  }
}
