package org.diffuse4j.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.runtime.plot.Plots;

/**
 * Collects the guidance-scale sweep written by {@code bench/guidance-sweep.sh}: for every
 * {@code RUNS/METHOD/w-SCALE} folder it reads {@code evaluation.json} (class accuracy, Fréchet
 * distance of classifier features, the real-image floor) and {@code metrics.json} (NFE, sampling
 * time), prints a Markdown table, writes {@code RUNS/results.json} and plots accuracy and Fréchet
 * distance against the scale into {@code IMG/fashion-guidance-accuracy.png} and {@code -fd.png}, and
 * Fréchet distance against accuracy (each method's trade-off as its scale grows) into {@code -tradeoff.png}.
 * The "conditional" run (scale 1) starts the cfg, apg and autoguidance lines.
 *
 * <p>Usage: {@code GuidanceSweep RUNS IMG}.
 */
public final class GuidanceSweep {
  private static final List<String> GUIDED = List.of("cfg", "cfg-plus-plus", "apg", "autoguidance");

  private GuidanceSweep() {}

  /** One sampled setting. */
  record Row(String method, double scale, double accuracy, double frechet, double floor, int nfe, double seconds, int n) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: GuidanceSweep RUNS IMG");
      System.exit(2);
    }
    Path runs = Path.of(args[0]);
    Path img = Path.of(args[1]);
    List<Row> rows = read(runs);
    if (rows.isEmpty()) {
      System.err.println("no RUNS/METHOD/w-SCALE/evaluation.json under " + runs + "; run bench/guidance-sweep.sh sample first");
      System.exit(2);
    }
    System.out.println("| method | scale | class accuracy | Fréchet distance | NFE | sampling s |");
    System.out.println("|---|---|---|---|---|---|");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.1f | %d | %.1f |%n",
          r.method(), fmt(r.scale()), r.accuracy(), r.frechet(), r.nfe(), r.seconds());
    }
    System.out.printf(Locale.ROOT, "%nReal-image floor (Fréchet distance between %d test images and the reference set): %.1f%n",
        rows.get(0).n(), rows.get(0).floor());
    Files.createDirectories(img);
    Plots.lines(img.resolve("fashion-guidance-accuracy.png"), "Fashion-MNIST: class accuracy against guidance scale",
        "scale w (λ for cfg-plus-plus)", "class accuracy", false, false, series(rows, Row::accuracy));
    Plots.lines(img.resolve("fashion-guidance-fd.png"), "Fashion-MNIST: Fréchet distance against guidance scale",
        "scale w (λ for cfg-plus-plus)", "Fréchet distance (classifier features)", false, false, series(rows, Row::frechet));
    Plots.lines(img.resolve("fashion-guidance-tradeoff.png"), "Fashion-MNIST: Fréchet distance against class accuracy",
        "class accuracy", "Fréchet distance (classifier features)", false, false, tradeoff(rows));
    List<Map<String, Object>> json = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", r.method());
      m.put("scale", r.scale());
      m.put("class_accuracy", r.accuracy());
      m.put("frechet_distance", r.frechet());
      m.put("frechet_distance_real", r.floor());
      m.put("nfe", r.nfe());
      m.put("sample_seconds", r.seconds());
      m.put("n", r.n());
      json.add(m);
    }
    AtomicFiles.writeString(runs.resolve("results.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
  }

  static List<Row> read(Path runs) throws IOException {
    List<Row> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.walk(runs, 3)) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("evaluation.json")).toList()) {
        Path dir = f.getParent();
        String folder = dir.getFileName().toString();
        if (!folder.startsWith("w-")) {
          continue;
        }
        JsonNode e = json.readTree(f.toFile());
        JsonNode m = json.readTree(dir.resolve("metrics.json").toFile());
        rows.add(new Row(dir.getParent().getFileName().toString(), Double.parseDouble(folder.substring(2)),
            e.get("class_accuracy").asDouble(), e.get("frechet_distance").asDouble(),
            e.get("frechet_distance_real").asDouble(), m.get("nfe").asInt(), m.get("sample_seconds").asDouble(),
            e.get("n").asInt()));
      }
    }
    rows.sort(Comparator.comparing(Row::method).thenComparingDouble(Row::scale));
    return rows;
  }

  /** Each guided method's rows by scale; the conditional run (scale 1) starts cfg, apg and autoguidance. */
  private static Map<String, List<Row>> lines(List<Row> rows) {
    Row conditional = rows.stream().filter(r -> r.method().equals("conditional")).findFirst().orElse(null);
    Map<String, List<Row>> out = new LinkedHashMap<>();
    for (String method : GUIDED) {
      List<Row> line = new ArrayList<>(rows.stream().filter(r -> r.method().equals(method)).toList());
      if (conditional != null && !method.equals("cfg-plus-plus")) {
        line.add(0, conditional);
      }
      if (!line.isEmpty()) {
        out.put(method, line);
      }
    }
    return out;
  }

  /** One series per method: {@code y} against the scale. */
  private static List<Plots.Series> series(List<Row> rows, ToDoubleFunction<Row> y) {
    return curves(rows, Row::scale, y);
  }

  /** One series per method: Fréchet distance against accuracy, in the order of the scale (the trade-off). */
  private static List<Plots.Series> tradeoff(List<Row> rows) {
    return curves(rows, Row::accuracy, Row::frechet);
  }

  private static List<Plots.Series> curves(List<Row> rows, ToDoubleFunction<Row> x, ToDoubleFunction<Row> y) {
    List<Plots.Series> out = new ArrayList<>();
    lines(rows).forEach((method, line) -> out.add(new Plots.Series(method,
        line.stream().mapToDouble(x).toArray(), line.stream().mapToDouble(y).toArray())));
    return out;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
