package org.diffuse4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.compat.DiffusersSchedulerConfig;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plot.Plots;
import org.diffuse4j.runtime.run.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code inspect schedule|grid}: look at a schedule's curves and coefficients, or a grid's times. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Look at schedules and time grids, or translate a diffusers scheduler config.",
    subcommands = {InspectCommand.ScheduleCommand.class, InspectCommand.GridCommand.class, InspectCommand.DiffusersConfigCommand.class})
final class InspectCommand implements Callable<Integer> {
  @ParentCommand Main main;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() {
    picocli.CommandLine.usage(this, main.out);
    return 0;
  }

  /** A plugin spec from a name or YAML map, with {@code --set key=value} options applied. */
  static Object spec(String nameOrYaml, List<String> sets) {
    Map<String, Object> tree = new LinkedHashMap<>(ManifestLoader.parse("plugin: " + nameOrYaml, "the command line"));
    for (String s : sets) {
      ManifestLoader.override(tree, "plugin." + s);
    }
    return tree.get("plugin");
  }

  /** The folder when {@code name} is a run folder (it holds a manifest.yaml), else null. */
  static Path runFolder(String name) {
    try {
      Path p = Path.of(name);
      return Files.isRegularFile(p.resolve("manifest.yaml")) ? p : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null; // a YAML map, not a path
    }
  }

  /** The schedule spec of a run folder's manifest, with {@code --set} options applied. */
  static Object runSchedule(Path run, List<String> sets) {
    Map<String, Object> tree = ManifestLoader.read(run.resolve("manifest.yaml"));
    Object schedule = tree.get("schedule");
    if (schedule == null) {
      throw new OptionException(run.resolve("manifest.yaml") + " has no 'schedule'; name one, e.g. 'inspect schedule vp'");
    }
    Map<String, Object> wrapped = new LinkedHashMap<>();
    wrapped.put("plugin", schedule);
    for (String s : sets) {
      ManifestLoader.override(wrapped, "plugin." + s);
    }
    return wrapped.get("plugin");
  }

  /** A legend label for a schedule spec: its name and options, e.g. {@code vp beta_max=10}. */
  @SuppressWarnings("unchecked")
  static String label(Object spec) {
    if (spec instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder(String.valueOf(m.get("name")));
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        if (!e.getKey().equals("name")) {
          b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
      }
      return b.toString();
    }
    return String.valueOf(spec);
  }

  /** A finite double, or null for JSON (λ is infinite where σ or α vanishes). */
  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** {@code inspect schedule NAME}: values at one time, or a plot of α, σ and λ over t. */
  @Command(name = "schedule", mixinStandardHelpOptions = true, description = "Coefficients of a schedule at --t, or a plot of α, σ and λ against t into --out PNG.")
  static final class ScheduleCommand implements Callable<Integer> {
    @ParentCommand InspectCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "schedule name or YAML map, e.g. vp or '{name: vp, beta_max: 10}', or a run folder (its manifest's schedule)")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a schedule option, e.g. beta_max=10")
    List<String> sets = new ArrayList<>();

    @Option(names = "--t", paramLabel = "T", description = "print the coefficients at this time instead of plotting")
    Double t;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--compare", split = ",", paramLabel = "A,B,...", description = "plot these schedules too")
    List<String> compare = new ArrayList<>();

    @Option(names = "--out", paramLabel = "PNG", description = "plot α, σ and λ against t into this new file "
        + "(default without --t: schedule.png in the run folder when NAME is one; otherwise needed)")
    Path out;

    @Option(names = "--force", description = "overwrite an existing --out file")
    boolean force;

    @Override
    public Integer call() throws IOException {
      Main main = parent.main;
      Path run = runFolder(name);
      if (run == null && name.contains("/") && !name.strip().startsWith("{")) {
        throw new OptionException("'" + name + "' is not a run folder (no manifest.yaml there) and schedule names have no '/'; "
            + "give a run folder, a schedule name ('diffuse4j plugins' lists them) or a YAML map such as '{name: vp}'");
      }
      Object mainSpec = run != null ? runSchedule(run, sets) : spec(name, sets);
      Schedule s = main.registry().create(Kind.SCHEDULE, mainSpec, "schedule");
      if (t != null && out != null) {
        throw new OptionException("--t prints the coefficients at one time and --out plots them over t: give one of them");
      }
      Path target = out != null ? out : t == null && run != null ? run.resolve("schedule.png") : null;
      if (t == null && target == null) {
        throw new OptionException("say what to show: --t T prints the coefficients at time T, --out PNG plots α, σ and λ "
            + "against t into a file, e.g. --out schedule.png");
      }
      if (target != null) {
        OutputPaths.checkFile(target, "--out", force);
      }
      if (t != null) {
        if (!(t >= 0 && t <= 1)) {
          throw new OptionException("--t must be in [0, 1], got " + t);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("t", t);
        v.put("alpha", finite(s.alpha(t)));
        v.put("sigma", finite(s.sigma(t)));
        v.put("lambda", finite(s.lambda(t)));
        v.put("alpha_dot", finite(s.alphaDot(t)));
        v.put("sigma_dot", finite(s.sigmaDot(t)));
        v.put("f", finite(s.f(t)));
        v.put("g2", finite(s.g2(t)));
        v.put("t_min", s.tMin());
        v.put("t_max", s.tMax());
        if (json) {
          main.out.println(JSON.writeValueAsString(v));
        } else {
          v.forEach((k, x) -> main.out.printf("%-9s %s%n", k, x));
        }
        return 0;
      }
      List<Object> specs = new ArrayList<>(List.of(mainSpec));
      for (String n : compare) {
        specs.add(spec(n, List.of()));
      }
      List<String> labels = specs.stream().map(InspectCommand::label).toList();
      List<Plots.Series> coefficients = new ArrayList<>();
      List<Plots.Series> lambdas = new ArrayList<>();
      for (int k = 0; k < specs.size(); k++) { // one colour per schedule: α solid, σ dashed
        Schedule sc = k == 0 ? s : main.registry().create(Kind.SCHEDULE, specs.get(k), "compare");
        String label = labels.get(k) + ": ";
        double[] ts = linspace(sc.tMin(), sc.tMax(), 400);
        coefficients.add(new Plots.Series(label + "α", ts, map(ts, sc::alpha), k, false));
        coefficients.add(new Plots.Series(label + "σ", ts, map(ts, sc::sigma), k, true));
        lambdas.add(new Plots.Series(label + "λ = log(α/σ)", ts, map(ts, sc::lambda), k, false));
      }
      Path tmp = Files.createTempDirectory("inspect-schedule");
      Path a = tmp.resolve("coefficients.png");
      Path b = tmp.resolve("lambda.png");
      try {
        String title = String.join(", ", labels);
        Plots.lines(a, title + ": α(t), σ(t)", "t", "value", false, false, coefficients);
        Plots.lines(b, title + ": log signal-to-noise λ(t)", "t", "λ", false, false, lambdas);
        stack(target, a, b);
      } finally {
        try (var files = Files.list(tmp)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(tmp);
      }
      main.out.println("wrote " + target.toAbsolutePath());
      return 0;
    }
  }

  /**
   * {@code inspect diffusers-config FILE}: a diffusers {@code scheduler_config.json} as the manifest
   * keys it becomes (schedule, parameterisation, sampling.solver and .grid), checked by building each
   * plugin, with what differs or could not be carried over as comments. Reads the file only; prints to stdout.
   */
  @Command(name = "diffusers-config", mixinStandardHelpOptions = true,
      description = "Translate a diffusers scheduler_config.json into manifest keys (printed as YAML).")
  static final class DiffusersConfigCommand implements Callable<Integer> {
    @ParentCommand InspectCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "a diffusers scheduler_config.json")
    Path file;

    @Override
    public Integer call() {
      Main main = parent.main;
      if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("scheduler_config.json"))) {
        file = file.resolve("scheduler_config.json");
      }
      if (!Files.isRegularFile(file)) {
        throw new OptionException("diffusers config '" + file + "' is not a file; give the path of a "
            + "scheduler_config.json (in a diffusers model folder: scheduler/scheduler_config.json)");
      }
      DiffusersSchedulerConfig.Result r = DiffusersSchedulerConfig.read(file);
      Map<String, Object> m = r.manifest();
      @SuppressWarnings("unchecked")
      Map<String, Object> sampling = (Map<String, Object>) m.get("sampling");
      main.registry().create(Kind.SCHEDULE, m.get("schedule"), "schedule");
      main.registry().create(Kind.PARAMETERISATION, m.get("parameterisation"), "parameterisation");
      main.registry().create(Kind.SOLVER, sampling.get("solver"), "sampling.solver");
      main.registry().create(Kind.GRID, sampling.get("grid"), "sampling.grid");
      main.out.println("# from " + file + ": paste into a manifest (network, data and the rest are yours)");
      main.out.print(ManifestLoader.toYaml(m).replaceFirst("^---\\s*\\n", ""));
      for (String note : r.notes()) {
        main.out.println("# note: " + note);
      }
      return 0;
    }
  }

  /** {@code inspect grid NAME --schedule S --steps N}: the times a solver would visit. */
  @Command(name = "grid", mixinStandardHelpOptions = true, description = "The times, σ and λ a solver visits on a grid.")
  static final class GridCommand implements Callable<Integer> {
    @ParentCommand InspectCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "grid name or YAML map, e.g. karras or '{name: karras, rho: 5}'")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a grid option, e.g. rho=5")
    List<String> sets = new ArrayList<>();

    @Option(names = "--schedule", paramLabel = "S", description = "schedule name or YAML map (default vp)")
    String schedule = "vp";

    @Option(names = "--steps", paramLabel = "N", description = "number of steps (default 10)")
    int steps = 10;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
      Main main = parent.main;
      if (steps < 1) {
        throw new OptionException("--steps must be >= 1, got " + steps);
      }
      Schedule s = main.registry().create(Kind.SCHEDULE, spec(schedule, List.of()), "schedule");
      TimeGrid g = main.registry().create(Kind.GRID, spec(name, sets), "grid");
      double[] ts;
      try {
        ts = g.times(s, steps);
      } catch (IllegalArgumentException e) {
        throw new OptionException("grid '" + name + "': " + e.getMessage());
      }
      List<Double> sigma = new ArrayList<>();
      List<Double> alpha = new ArrayList<>();
      List<Double> lambda = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      for (double t : ts) {
        sigma.add(finite(s.sigma(t)));
        alpha.add(finite(s.alpha(t)));
        lambda.add(finite(s.lambda(t)));
        ratio.add(finite(s.sigmaOverAlpha(t)));
      }
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("t", ts);
      v.put("sigma", sigma);
      v.put("lambda", lambda);
      v.put("alpha", alpha);
      v.put("sigma_over_alpha", ratio);
      if (json) {
        main.out.println(JSON.writeValueAsString(v));
      } else {
        main.out.printf("%4s %12s %12s %12s %12s%n", "k", "t", "sigma", "sigma/alpha", "lambda");
        for (int k = 0; k < ts.length; k++) {
          main.out.printf("%4d %12.6g %12.6g %12.6g %12.6g%n", k, ts[k], sigma.get(k), ratio.get(k), lambda.get(k));
        }
      }
      return 0;
    }
  }

  private static double[] linspace(double lo, double hi, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = lo + (hi - lo) * i / (n - 1);
    }
    return x;
  }

  private static double[] map(double[] ts, java.util.function.DoubleUnaryOperator f) {
    double[] y = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      y[i] = f.applyAsDouble(ts[i]);
    }
    return y;
  }

  /** Writes the two images one above the other into {@code out}. */
  private static void stack(Path out, Path top, Path bottom) throws IOException {
    BufferedImage a = ImageIO.read(top.toFile());
    BufferedImage b = ImageIO.read(bottom.toFile());
    BufferedImage c = new BufferedImage(Math.max(a.getWidth(), b.getWidth()), a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = c.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, c.getWidth(), c.getHeight());
    g.drawImage(a, 0, 0, null);
    g.drawImage(b, 0, a.getHeight(), null);
    g.dispose();
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    ImageIO.write(c, "png", png);
    org.diffuse4j.api.io.AtomicFiles.writeBytes(out, png.toByteArray()); // a replaced file is never half-written
  }
}
