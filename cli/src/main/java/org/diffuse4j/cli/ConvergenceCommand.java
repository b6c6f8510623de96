package org.diffuse4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.analytic.ConvergenceStudy;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.plot.Plots;
import org.diffuse4j.runtime.run.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code convergence}: a solver's empirical order on the analytic Gaussian mixture (float64, no
 * training error): error of the final samples against a Dormand–Prince reference solution of the
 * probability-flow ODE from the same start, for several step counts, and the fitted slope.
 */
@Command(name = "convergence", mixinStandardHelpOptions = true, description = "Empirical convergence order of a solver on the analytic gmm model.")
final class ConvergenceCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--solver", required = true, paramLabel = "NAME[,NAME...]",
      description = "solver name(s) or YAML map(s), comma-separated or repeated, e.g. heun,'{name: dpm-solver, order: 3}'")
  List<String> solverArgs;

  @Option(names = "--schedule", paramLabel = "S", description = "schedule name or YAML map (default vp)")
  String schedule = "vp";

  @Option(names = "--grid", paramLabel = "G",
      description = "grid name or YAML map; its ends must not move with the step count (default: uniform in λ from t_max to 0.03)")
  String grid;

  @Option(names = "--steps", split = ",", paramLabel = "N,N,...", description = "step counts (default 16,32,64,128)")
  int[] steps = ConvergenceStudy.DEFAULT_STEPS;

  @Option(names = "--rows", paramLabel = "N", description = "samples per run (default 16)")
  int rows = 16;

  @Option(names = "--init", paramLabel = "NPY", description = "start from these points (n × 2) at the grid's first time")
  Path init;

  @Option(names = "--plot", paramLabel = "PNG", description = "draw error against NFE (log-log) for the solvers")
  Path plot;

  @Option(names = "--force", description = "overwrite an existing --plot file")
  boolean force;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (plot != null) {
      OutputPaths.checkFile(plot, "--plot", force);
    }
    if (steps.length < 2) {
      throw new OptionException("--steps needs at least 2 step counts to fit an order");
    }
    for (int n : steps) {
      if (n < 1) {
        throw new OptionException("--steps must be >= 1, got " + n);
      }
    }
    Schedule s = main.registry().create(Kind.SCHEDULE, InspectCommand.spec(schedule, List.of()), "schedule");
    TimeGrid g = grid == null ? ConvergenceStudy.logSnr(ConvergenceStudy.DEFAULT_T_END)
        : main.registry().create(Kind.GRID, InspectCommand.spec(grid, List.of()), "grid");
    ConvergenceStudy study = ConvergenceStudy.of(s, g).withRows(rows);
    if (init != null) {
      Npy.Array a = Npy.read(init);
      if (a.shape().length != 2 || a.shape()[1] != GaussianMixture.standard2d().dim()) {
        throw new OptionException("--init " + init + ": expected an n × 2 array, got shape " + java.util.Arrays.toString(a.shape()));
      }
      study = study.withInit(a.data());
    }
    List<Map<String, Object>> results = new ArrayList<>();
    List<Plots.Series> series = new ArrayList<>();
    for (String name : splitTopLevel(solverArgs)) {
      Object spec = InspectCommand.spec(name, List.of());
      Solver solver = main.registry().create(Kind.SOLVER, spec, "solver");
      var split = org.diffuse4j.api.plugin.Options.splitSpec(spec, "solver");
      String label = split.getKey() + (split.getValue().isEmpty() ? "" : " " + split.getValue());
      if (solver.traits().stochastic()) {
        throw new OptionException("solver '" + name + "' is stochastic: its strong error against one ODE solution is not an order;"
            + " the conformance kit checks its weak error instead");
      }
      ConvergenceStudy.Result r;
      try {
        r = study.run(solver, steps);
      } catch (IllegalArgumentException e) {
        throw new OptionException(e.getMessage());
      }
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("solver", label);
      v.put("declared_order", solver.traits().order());
      v.put("steps", r.points().stream().map(ConvergenceStudy.Point::steps).toList());
      v.put("nfe", r.points().stream().map(ConvergenceStudy.Point::nfe).toList());
      v.put("error", r.points().stream().map(ConvergenceStudy.Point::error).toList());
      v.put("order", r.order());
      results.add(v);
      series.add(new Plots.Series(label, r.points().stream().mapToDouble(ConvergenceStudy.Point::nfe).toArray(),
          r.points().stream().mapToDouble(ConvergenceStudy.Point::error).toArray()));
    }
    if (plot != null) {
      Plots.lines(plot, "error against NFE on the gmm model (" + schedule + ")", "NFE (model evaluations)",
          "RMS error vs reference", true, true, series);
    }
    if (json) {
      ObjectMapper m = new ObjectMapper();
      main.out.println(results.size() == 1 ? m.writeValueAsString(results.get(0)) : m.writeValueAsString(results));
    } else {
      for (Map<String, Object> v : results) {
        main.out.printf("%s (declared order %s): steps %s, nfe %s, error %s, fitted order %.3f%n", v.get("solver"),
            v.get("declared_order"), v.get("steps"), v.get("nfe"), v.get("error"), (Double) v.get("order"));
      }
    }
    if (plot != null) {
      (json ? main.err : main.out).println("wrote " + plot.toAbsolutePath());
    }
    return 0;
  }

  /** Splits comma-separated specs, leaving commas inside YAML maps {…} alone. */
  static List<String> splitTopLevel(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      int depth = 0;
      int start = 0;
      for (int i = 0; i < a.length(); i++) {
        char c = a.charAt(i);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        if (c == ',' && depth == 0) {
          out.add(a.substring(start, i).trim());
          start = i + 1;
        }
      }
      out.add(a.substring(start).trim());
    }
    out.removeIf(String::isEmpty);
    return out;
  }
}
