package org.diffuse4j.runtime.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of README.md ("Use from Java") and docs/java-api.md: the lines between the markers are
 * the documents' Java block, character for character ({@link #theDocumentsShowThisExample}).
 */
class JavaApiExampleTest {
  private static final Path SOURCE = Path.of("src/test/java/org/diffuse4j/runtime/lib/JavaApiExampleTest.java");

  @Test
  void trainSampleWithTwoSolversAndEvaluate(@TempDir Path runs) throws IOException {
    // example:begin
    List<TrainingStep> steps = new ArrayList<>();
    Experiment experiment = Experiment.builder()
        .data("two-moons")
        .network("mlp", Map.of("width", 128, "depth", 3))
        .schedule("rectified-flow")
        .parameterisation("velocity")
        .objective("flow-matching")
        .training(Training.defaults().steps(300).batchSize(512).lr(5e-3))
        .sampling(Sampling.defaults().solver("euler").steps(20).n(1000))
        .seed(7)
        .onStep(steps::add)
        .build();
    Run run = experiment.run(runs.resolve("two-moons"));
    Samples heun = run.sample(Sampling.defaults().solver("heun").steps(10));
    Samples dpm = run.sample(Sampling.defaults().solver("dpmpp-2m").steps(10));
    for (Samples s : List.of(heun, dpm)) {
      Metrics m = run.evaluate(s.rows());
      System.out.printf("%s: %d samples, NFE %d, sliced Wasserstein %.4f (two data draws: %.4f)%n",
          s.folder().getFileName(), s.n(), s.metrics().nfe(), m.slicedWasserstein(), m.slicedWassersteinBaseline());
    }
    // example:end

    // the callbacks saw every step, with the learning rate set (constant, no warm-up) and increasing times
    assertThat(steps).hasSize(300);
    assertThat(steps.get(0).step()).isEqualTo(1);
    assertThat(steps.get(299).step()).isEqualTo(300);
    assertThat(steps).allSatisfy(s -> assertThat(s.learningRate()).isEqualTo(5e-3));
    assertThat(steps.get(299).seconds()).isGreaterThan(steps.get(0).seconds());
    assertThat(steps.get(299).loss()).isEqualTo(run.metrics().finalLoss()); // what metrics.json says
    assertThat(run.metrics().trainSteps()).isEqualTo(300);

    // NFE from the methods' definitions: Heun's method (the two-stage explicit trapezoidal Runge–Kutta
    // method) takes 2 calls a step, DPM-Solver++(2M) (Lu et al. 2022, Alg. 2) one
    assertThat(heun.metrics().nfe()).isEqualTo(20);
    assertThat(dpm.metrics().nfe()).isEqualTo(10);
    // the run's own sampling (euler, 20 steps) and the two new folders, named as 'diffuse4j sample' names them
    assertThat(run.metrics().nfe()).isEqualTo(20);
    assertThat(heun.folder()).isEqualTo(run.dir().resolve("samples/heun-uniform-10"));
    assertThat(dpm.folder()).isEqualTo(run.dir().resolve("samples/dpmpp-2m-uniform-10"));
    assertThat(heun.n()).isEqualTo(1000); // n and the rest from the run's sampling section
    assertThat(heun.dim()).isEqualTo(2);

    // evaluate() measures what metrics.json holds (there from the float64 rows, here from float32 samples.npy)
    assertThat(run.evaluate(heun.rows()).slicedWasserstein())
        .isCloseTo(heun.metrics().slicedWasserstein(), within(1e-4));
    // trained: the samples are far nearer the data than the standard normal the solvers start from
    // (drawn here with java.util.Random, independently of the engine's noise): measured 0.10 (heun) and
    // 0.20 (dpmpp-2m, 10 steps) against 0.31 for N(0, I), with 0.11 between two data draws of 1000
    java.util.Random random = new java.util.Random(11);
    double[][] gaussian = new double[1000][2];
    for (double[] row : gaussian) {
      row[0] = random.nextGaussian();
      row[1] = random.nextGaussian();
    }
    double untrained = run.evaluate(gaussian).slicedWasserstein();
    for (Samples s : List.of(heun, dpm)) {
      assertThat(s.metrics().slicedWasserstein()).as("%s against N(0, I)'s %.4f", s.folder(), untrained)
          .isLessThan(0.75 * untrained);
    }
  }

  @Test
  void theDocumentsShowThisExample() throws IOException {
    String example = example();
    for (Path doc : List.of(Path.of("../README.md"), Path.of("../docs/java-api.md"))) {
      assertThat(javaBlocks(Files.readString(doc))).as(doc + " shows the example of " + SOURCE).contains(example);
    }
  }

  /** The lines between the markers, less the indentation of the first. */
  private static String example() throws IOException {
    List<String> lines = Files.readAllLines(SOURCE);
    int from = lines.indexOf("    // example:begin") + 1;
    int to = lines.indexOf("    // example:end");
    assertThat(from).isPositive();
    assertThat(to).isGreaterThan(from);
    return String.join("\n", lines.subList(from, to).stream().map(l -> l.length() >= 4 ? l.substring(4) : l).toList());
  }

  /** The bodies of the fenced ```java blocks of a Markdown text. */
  private static List<String> javaBlocks(String markdown) {
    List<String> out = new ArrayList<>();
    List<String> lines = Arrays.asList(markdown.split("\n", -1));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("```java")) {
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).trim().equals("```")) {
          end++;
        }
        out.add(String.join("\n", lines.subList(i + 1, end)));
        i = end;
      }
    }
    return out;
  }
}
