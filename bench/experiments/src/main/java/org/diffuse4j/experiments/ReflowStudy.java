package org.diffuse4j.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.data.Toy2d;
import org.diffuse4j.runtime.metrics.SlicedWasserstein;
import org.diffuse4j.runtime.plot.Plots;
import org.diffuse4j.runtime.reflow.ReflowPairs;

/**
 * Measures the reflow study written by {@code bench/reflow-two-moons.sh}. For each model folder
 * (the 1-rectified base model and the reflowed one) it reads
 *
 * <ul>
 *   <li>{@code MODEL/eval-pairs/x0.npy, noise.npy}: (ε, ODE endpoint) pairs on noise training never
 *       saw, whose mean squared length E‖x0 − ε‖² is the transport cost of the model's ODE; the same
 *       endpoints with the noise rows shifted by one give the independent coupling's cost;
 *   <li>{@code MODEL/samples-LABEL.npy} for each sampler label (e.g. {@code euler-1}): sliced W2
 *       (256 directions) against a fresh two-moons draw of the same size, never used in training,
 *       and the mean squared distance of each sample to the model's own ODE endpoint from the same
 *       noise row (the pairs' x0; every file starts from the same noise, sampling seed 0).
 * </ul>
 *
 * All models' pairs share their noise rows, so the cost difference between the first model and
 * each other is a paired mean, given with its standard error. The sliced W2 between two independent
 * data draws is the finite-sample floor. Prints Markdown tables, writes {@code RUNS/results.json} and,
 * when IMG is given, scatter plots of the first sampler's samples.
 *
 * <p>Usage: {@code ReflowStudy RUNS MODEL,MODEL LABEL... [--img DIR]}.
 */
public final class ReflowStudy {
  static final long DATA_SEED = 7_400_001L;
  static final long FLOOR_SEED = 7_400_002L;
  static final int PROJECTIONS = 256;

  private ReflowStudy() {}

  /**
   * The cost of one model's ODE pairs, and its paired difference to the first model's pairs (the
   * first model's cost minus this one's, mean and standard error over the shared noise rows).
   */
  record Cost(String model, int n, double transport, double independent, double drop, double dropError) {}

  /** Sliced W2 of one sample set and its mean squared distance to the model's own ODE endpoints. */
  record Quality(String model, String sampler, int n, double sliced, double toOde) {}

  public static void main(String[] args) throws IOException {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Path img = null;
    int at = rest.indexOf("--img");
    if (at >= 0) {
      img = Path.of(rest.get(at + 1));
      rest.subList(at, at + 2).clear();
    }
    if (rest.size() < 3) {
      System.err.println("usage: ReflowStudy RUNS MODEL,MODEL LABEL... [--img DIR]");
      System.exit(2);
    }
    Path runs = Path.of(rest.get(0));
    List<String> models = List.of(rest.get(1).split(","));
    List<String> samplers = rest.subList(2, rest.size());

    List<Cost> costs = new ArrayList<>();
    List<Quality> quality = new ArrayList<>();
    Map<String, double[]> oneStep = new LinkedHashMap<>();
    double floor = Double.NaN;
    double[] firstCosts = null;
    for (String model : models) {
      Path dir = runs.resolve(model);
      double[] x0 = read(dir.resolve("eval-pairs").resolve(ReflowPairs.ENDPOINTS));
      double[] noise = read(dir.resolve("eval-pairs").resolve(ReflowPairs.NOISE));
      double[] rowCosts = rowDistances(x0, noise);
      if (firstCosts == null) {
        firstCosts = rowCosts;
      }
      costs.add(cost(model, x0, noise, firstCosts, rowCosts));
      for (String sampler : samplers) {
        double[] s = read(dir.resolve("samples-" + sampler + ".npy"));
        int n = s.length / 2;
        double[] data = Toy2d.TWO_MOONS.sample(DATA_SEED, 0, n);
        double toOde = s.length == x0.length ? mean(rowDistances(s, x0)) : Double.NaN;
        quality.add(new Quality(model, sampler, n, SlicedWasserstein.distance(s, n, data, n, 2, PROJECTIONS, 1), toOde));
        if (Double.isNaN(floor)) {
          floor = SlicedWasserstein.distance(Toy2d.TWO_MOONS.sample(FLOOR_SEED, 0, n), n, data, n, 2, PROJECTIONS, 1);
        }
        if (sampler.equals(samplers.get(0))) {
          oneStep.put(model, s);
        }
      }
    }
    print(costs, quality, models, samplers, floor);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("costs", costs);
    out.put("sliced_w2", quality);
    out.put("sliced_w2_floor", floor);
    out.put("sliced_projections", PROJECTIONS);
    AtomicFiles.writeString(runs.resolve("results.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    if (img != null) {
      Files.createDirectories(img);
      for (Map.Entry<String, double[]> e : oneStep.entrySet()) {
        double[] s = e.getValue();
        Quality q = quality.stream().filter(x -> x.model().equals(e.getKey()) && x.sampler().equals(samplers.get(0)))
            .findFirst().orElseThrow();
        String title = String.format(Locale.ROOT, "%s, %s: sliced W2 %.3f", e.getKey(), samplers.get(0), q.sliced());
        Plots.scatter(img.resolve("reflow-" + samplers.get(0) + "-" + e.getKey() + ".png"), title,
            Toy2d.TWO_MOONS.sample(DATA_SEED, 0, s.length / 2), s);
      }
    }
  }

  private static Cost cost(String model, double[] x0, double[] noise, double[] firstCosts, double[] rowCosts)
      throws IOException {
    int n = x0.length / 2;
    if (firstCosts.length != n) {
      throw new IOException(model + ": " + n + " pairs, but the first model has " + firstCosts.length);
    }
    double[] drop = new double[n];
    for (int i = 0; i < n; i++) {
      drop[i] = firstCosts[i] - rowCosts[i];
    }
    double d = mean(drop);
    double var = 0;
    for (double v : drop) {
      var += (v - d) * (v - d);
    }
    ReflowPairs p = new ReflowPairs(x0, noise, n, 2, 0);
    return new Cost(model, n, p.transportCost(), p.independentCost(), d, Math.sqrt(var / (n - 1) / n));
  }

  /** ‖a_i − b_i‖² per row of two n × 2 arrays. */
  private static double[] rowDistances(double[] a, double[] b) {
    double[] d = new double[a.length / 2];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.pow(a[2 * i] - b[2 * i], 2) + Math.pow(a[2 * i + 1] - b[2 * i + 1], 2);
    }
    return d;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double[] read(Path file) throws IOException {
    Npy.Array a = Npy.read(file);
    if (a.shape().length != 2 || a.shape()[1] != 2) {
      throw new IOException(file + ": expected shape [n, 2], got " + Arrays.toString(a.shape()));
    }
    return a.data();
  }

  private static void print(List<Cost> costs, List<Quality> quality, List<String> models, List<String> samplers,
      double floor) {
    System.out.println("| model | pairs | E‖x0 − ε‖², ODE pairs | drop vs " + models.get(0)
        + " (paired, ± s.e.) | E‖x0 − ε′‖², independent pairs |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Cost c : costs) {
      System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f ± %.4f | %.4f |%n", c.model(), c.n(), c.transport(), c.drop(),
          c.dropError(), c.independent());
    }
    System.out.println();
    StringBuilder head = new StringBuilder("| sampler |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String m : models) {
      head.append(" sliced W2, ").append(m).append(" |");
      rule.append("---:|");
    }
    for (String m : models) {
      head.append(" E‖x − ODE(ε)‖², ").append(m).append(" |");
      rule.append("---:|");
    }
    System.out.println(head + "\n" + rule);
    for (String s : samplers) {
      StringBuilder line = new StringBuilder("| " + s + " |");
      for (String m : models) {
        line.append(String.format(Locale.ROOT, " %.4f |", find(quality, m, s).sliced()));
      }
      for (String m : models) {
        line.append(String.format(Locale.ROOT, " %.4f |", find(quality, m, s).toOde()));
      }
      System.out.println(line);
    }
    System.out.printf(Locale.ROOT, "%nsliced W2 between two data draws (floor): %.4f%n", floor);
  }

  private static Quality find(List<Quality> quality, String model, String sampler) {
    return quality.stream().filter(x -> x.model().equals(model) && x.sampler().equals(sampler)).findFirst().orElseThrow();
  }
}
