package org.diffuse4j.experiments;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.diffuse4j.runtime.metrics.ExactWasserstein;
import org.diffuse4j.runtime.metrics.SlicedWasserstein;
import org.diffuse4j.runtime.plot.Plots;

/**
 * Measures the checkerboard NFE sweep written by {@code bench/checkerboard.sh}: for each method
 * (ddpm, flow, and the ablation ddpm-t0.99: the DDPM network and sampler started at t = 0.99) and
 * each NFE it reads {@code RUNS/METHOD/nfe-N/samples.npy} (10,000 × 2) and computes
 *
 * <ul>
 *   <li>exact W2 on subsamples: the samples are split into 5 disjoint blocks of 2000, each compared
 *       with its own fresh draw of 2000 data points by optimal assignment (Hungarian); mean and
 *       standard deviation over the 5 blocks;
 *   <li>sliced W2 on all samples against 10,000 fresh data points (256 directions);
 *   <li>the fraction of samples off the support (in a white square or outside the board) and the
 *       mass of each of the 8 black squares relative to its share 1/8; a square counts as covered
 *       when it holds at least {@link #COVERED} of its share.
 * </ul>
 *
 * The same quantities between two independent data draws give the finite-sample floor of each
 * metric. Prints a Markdown table, writes {@code RUNS/results.json} and the plots
 * {@code IMG/checkerboard-w2.png}, {@code IMG/checkerboard-nfe10-ddpm.png} and {@code -flow.png}.
 *
 * <p>Usage: {@code CheckerboardSweep RUNS IMG METHOD,METHOD,... NFE...}; with {@code --replot} as
 * the first argument it only redraws the plots from {@code RUNS/results.json} (no metrics).
 */
public final class CheckerboardSweep {
  /** Seeds of the fresh data draws, far from the training (0) and run-folder (10⁶ + 3) seeds. */
  static final long SLICED_SEED = 7_000_001L;
  static final long SLICED_FLOOR_SEED = 7_000_002L;
  static final long EXACT_SEED = 7_100_000L;
  static final long EXACT_FLOOR_SEED = 7_200_000L;
  static final int BLOCKS = 5;
  static final int BLOCK = 2000;
  static final int PROJECTIONS = 256;
  /** A square is covered when it holds at least this fraction of its expected share 1/8. */
  static final double COVERED = 0.2;
  /** The board: unit squares on [−2, 2]², scaled by √3/2 (see {@link Toy2d#CHECKERBOARD}). */
  static final double SCALE = Math.sqrt(3) / 2;

  private CheckerboardSweep() {}

  /** What one sample set measures. */
  record Row(String method, int nfe, double exactMean, double exactSd, double sliced, double offSupport,
      double outsideBoard, int covered, double minShare, double maxShare, double sampleSeconds) {}

  public static void main(String[] args) throws IOException {
    boolean replot = args.length > 0 && args[0].equals("--replot");
    if (replot) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    if (args.length < 4) {
      System.err.println("usage: CheckerboardSweep RUNS IMG METHOD,METHOD,... NFE...");
      System.exit(2);
    }
    Path runs = Path.of(args[0]);
    Path img = Path.of(args[1]);
    List<String> methods = List.of(args[2].split(","));
    int[] nfes = Arrays.stream(args).skip(3).mapToInt(Integer::parseInt).toArray();
    Files.createDirectories(img);
    Toy2d data = Toy2d.CHECKERBOARD;
    int n = 10_000;
    double[] slicedRef = data.sample(SLICED_SEED, 0, n);

    if (replot) {
      replot(runs, img, methods, nfes, slicedRef);
      return;
    }
    long t0 = System.nanoTime();
    // Floors: the same metrics between two independent data draws.
    double[] floorSamples = data.sample(SLICED_FLOOR_SEED, 0, n);
    Row floor = measure("data", 0, floorSamples, slicedRef, Double.NaN, EXACT_FLOOR_SEED);
    double exactSeconds = (System.nanoTime() - t0) / 1e9;

    List<Row> rows = new ArrayList<>();
    Map<String, double[]> scatter = new LinkedHashMap<>();
    for (String method : methods) {
      for (int nfe : nfes) {
        Path dir = runs.resolve(method).resolve("nfe-" + nfe);
        Npy.Array a = Npy.read(dir.resolve("samples.npy"));
        if (a.shape().length != 2 || a.shape()[0] != n || a.shape()[1] != 2) {
          throw new IOException(dir + "/samples.npy: expected shape [" + n + ", 2], got " + Arrays.toString(a.shape()));
        }
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        int recordedNfe = metrics.get("nfe").asInt();
        if (recordedNfe != nfe) {
          throw new IOException(dir + ": metrics.json says NFE " + recordedNfe + ", expected " + nfe);
        }
        rows.add(measure(method, nfe, a.data(), slicedRef, metrics.get("sample_seconds").asDouble(), EXACT_SEED));
        if (nfe == 10 && (method.equals("ddpm") || method.equals("flow"))) {
          scatter.put(method, a.data());
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    printTable(floor, rows);
    System.out.printf(Locale.ROOT, "%nmetrics computed in %.1f s (the data-vs-data floor alone: %.1f s)%n", seconds, exactSeconds);
    writeJson(runs.resolve("results.json"), floor, rows);
    plotW2(img.resolve("checkerboard-w2.png"), floor, rows, methods, nfes);
    scatters(img, rows, scatter, slicedRef);
  }

  private static void scatters(Path img, List<Row> rows, Map<String, double[]> scatter, double[] slicedRef)
      throws IOException {
    for (Map.Entry<String, double[]> e : scatter.entrySet()) {
      Row r = rows.stream().filter(x -> x.method().equals(e.getKey()) && x.nfe() == 10).findFirst().orElseThrow();
      String name = e.getKey().equals("ddpm") ? "DDPM" : "Flow matching";
      String title = String.format(Locale.ROOT, "%s, NFE 10: W2 %.2f, %d/8 squares", name, r.exactMean(), r.covered());
      Plots.scatter(img.resolve("checkerboard-nfe10-" + e.getKey() + ".png"), title, slicedRef, e.getValue());
    }
  }

  /** Redraws the plots from RUNS/results.json and the samples. */
  private static void replot(Path runs, Path img, List<String> methods, int[] nfes, double[] slicedRef)
      throws IOException {
    JsonNode json = new ObjectMapper().readTree(runs.resolve("results.json").toFile());
    Row floor = row(json.get("floor"));
    List<Row> rows = new ArrayList<>();
    json.get("rows").forEach(r -> rows.add(row(r)));
    Map<String, double[]> scatter = new LinkedHashMap<>();
    for (String method : List.of("ddpm", "flow")) {
      scatter.put(method, Npy.read(runs.resolve(method).resolve("nfe-10").resolve("samples.npy")).data());
    }
    plotW2(img.resolve("checkerboard-w2.png"), floor, rows, methods, nfes);
    scatters(img, rows, scatter, slicedRef);
  }

  private static Row row(JsonNode r) {
    return new Row(r.get("method").asText(), r.get("nfe").asInt(), r.get("exactMean").asDouble(),
        r.get("exactSd").asDouble(), r.get("sliced").asDouble(), r.get("offSupport").asDouble(),
        r.get("outsideBoard").asDouble(), r.get("covered").asInt(), r.get("minShare").asDouble(),
        r.get("maxShare").asDouble(), r.get("sampleSeconds").isNumber() ? r.get("sampleSeconds").asDouble() : Double.NaN);
  }

  /** All metrics of one 10,000 × 2 sample set. */
  static Row measure(String method, int nfe, double[] samples, double[] slicedRef, double sampleSeconds, long exactSeed) {
    int n = samples.length / 2;
    double sliced = SlicedWasserstein.distance(samples, n, slicedRef, slicedRef.length / 2, 2, PROJECTIONS, 1);
    double[] exact = new double[BLOCKS];
    for (int b = 0; b < BLOCKS; b++) {
      double[] block = Arrays.copyOfRange(samples, 2 * b * BLOCK, 2 * (b + 1) * BLOCK);
      double[] ref = Toy2d.CHECKERBOARD.sample(exactSeed + b, 0, BLOCK);
      exact[b] = ExactWasserstein.distance(block, ref, BLOCK, 2);
    }
    double mean = Arrays.stream(exact).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(exact).map(x -> (x - mean) * (x - mean)).sum() / (BLOCKS - 1));

    int[] perSquare = new int[8];
    int white = 0;
    int outside = 0;
    for (int i = 0; i < n; i++) {
      int square = square(samples[2 * i], samples[2 * i + 1]);
      if (square == -1) {
        outside++;
      } else if (square == -2) {
        white++;
      } else {
        perSquare[square]++;
      }
    }
    double share = n / 8.0;
    int covered = 0;
    double minShare = Double.POSITIVE_INFINITY;
    double maxShare = 0;
    for (int c : perSquare) {
      covered += c >= COVERED * share ? 1 : 0;
      minShare = Math.min(minShare, c / share);
      maxShare = Math.max(maxShare, c / share);
    }
    return new Row(method, nfe, mean, sd, sliced, (white + outside) / (double) n, outside / (double) n, covered,
        minShare, maxShare, sampleSeconds);
  }

  /** Index 0..7 of the black square holding (x, y); −2 for a white square, −1 outside the board. */
  static int square(double x, double y) {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      return -1;
    }
    double u = x / SCALE + 2;
    double v = y / SCALE + 2;
    if (u < 0 || u >= 4 || v < 0 || v >= 4) {
      return -1;
    }
    int col = (int) Math.floor(u);
    int row = (int) Math.floor(v);
    if ((row + col) % 2 != 0) {
      return -2;
    }
    return 2 * row + col / 2; // two black squares per row
  }

  private static void printTable(Row floor, List<Row> rows) {
    System.out.println("| method | NFE | exact W2, 2000 vs 2000 (mean ± sd, 5 blocks) | sliced W2, 10k vs 10k | off support | squares covered | least / most square mass (× 1/8) | sampling s |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.println(line(label(r.method()), String.valueOf(r.nfe()), r));
    }
    System.out.println(line("data vs data (floor)", "–", floor));
  }

  /** The display name of a method folder. */
  static String label(String method) {
    return switch (method) {
      case "ddpm" -> "DDPM";
      case "flow" -> "flow matching";
      case "ddpm-t0.99" -> "DDPM from t = 0.99 (ablation)";
      default -> method;
    };
  }

  private static String line(String name, String nfe, Row r) {
    return String.format(Locale.ROOT, "| %s | %s | %.4f ± %.4f | %.4f | %.2f%% | %d/8 | %.2f / %.2f | %s |", name, nfe,
        r.exactMean(), r.exactSd(), r.sliced(), 100 * r.offSupport(), r.covered(), r.minShare(), r.maxShare(),
        Double.isNaN(r.sampleSeconds()) ? "–" : String.format(Locale.ROOT, "%.2f", r.sampleSeconds()));
  }

  private static void writeJson(Path file, Row floor, List<Row> rows) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("floor", floor);
    out.put("rows", rows);
    out.put("exact_blocks", BLOCKS);
    out.put("exact_block_size", BLOCK);
    out.put("sliced_projections", PROJECTIONS);
    out.put("covered_threshold_of_share", COVERED);
    AtomicFiles.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
  }

  private static void plotW2(Path png, Row floor, List<Row> rows, List<String> methods, int[] nfes)
      throws IOException {
    double[] x = Arrays.stream(nfes).asDoubleStream().toArray();
    List<Plots.Series> series = new ArrayList<>();
    for (String method : methods) {
      String name = label(method);
      double[] exact = new double[nfes.length];
      double[] sliced = new double[nfes.length];
      for (int i = 0; i < nfes.length; i++) {
        int k = nfes[i];
        Row r = rows.stream().filter(q -> q.method().equals(method) && q.nfe() == k).findFirst().orElseThrow();
        exact[i] = r.exactMean();
        sliced[i] = r.sliced();
      }
      series.add(new Plots.Series(name + ", exact W2 (2000 vs 2000)", x, exact));
      series.add(new Plots.Series(name + ", sliced W2 (10k vs 10k)", x, sliced));
    }
    double[] fx = {x[0], x[x.length - 1]};
    series.add(new Plots.Series("data vs data, exact (floor)", fx, new double[] {floor.exactMean(), floor.exactMean()}));
    series.add(new Plots.Series("data vs data, sliced (floor)", fx, new double[] {floor.sliced(), floor.sliced()}));
    Plots.lines(png, "Checkerboard: W2 to fresh data against NFE (log-log)", "NFE (network evaluations)", "W2", true, true, series);
  }
}
