package org.diffuse4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.diffuse4j.runtime.lib.Diffuse4j;
import org.diffuse4j.runtime.lib.Sampling;
import org.diffuse4j.runtime.lib.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's native log lines are off in a JVM started without {@code TF_CPP_MIN_LOG_LEVEL} (as
 * {@code java -jar}, spark-submit or a Java API user start it), and on with {@code --verbose} or
 * {@code Diffuse4j.tensorFlowLogs(true)}. Each case is a child JVM (TensorFlow takes its level once per
 * process) that trains and samples, then runs a graph with device-placement logging: an info line on
 * every machine ("placer.cc… Add: (Add): /job:localhost/…"), whatever its CPU.
 */
class TensorFlowLogsTest {
  /** A line of TensorFlow's own logging: "2026-12-04 21:59:00.533103: I tensorflow/core/…". */
  private static final Pattern TF_LINE = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWEF] ");
  private static final Pattern PLACEMENT = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\d .*: I .*placer\\.cc:\\d+\\] Add: \\(Add\\)");

  @TempDir Path work;

  @Test
  void theCommandLineIsQuietUnlessVerbose() throws Exception {
    String quiet = stderr("cli", "quiet");
    assertThat(quiet).contains("train  done 4");
    assertThat(TF_LINE.matcher(quiet).find()).as("TensorFlow lines in:%n%s", quiet).isFalse();

    String verbose = stderr("cli", "show");
    assertThat(verbose).contains("train  done 4");
    assertThat(PLACEMENT.matcher(verbose).find()).as("TensorFlow's placement lines with --verbose in:%n%s", verbose).isTrue();
  }

  @Test
  void theJavaApiIsQuietUnlessAskedFor() throws Exception {
    String quiet = stderr("api", "quiet");
    assertThat(quiet).contains("sampled 64");
    assertThat(TF_LINE.matcher(quiet).find()).as("TensorFlow lines in:%n%s", quiet).isFalse();

    String shown = stderr("api", "show");
    assertThat(shown).contains("sampled 64");
    assertThat(PLACEMENT.matcher(shown).find()).as("TensorFlow's placement lines after tensorFlowLogs(true) in:%n%s", shown).isTrue();
  }

  /** The child's stderr, started with TF_CPP_MIN_LOG_LEVEL removed from its environment. */
  private String stderr(String entry, String logs) throws IOException, InterruptedException {
    Path out = work.resolve(entry + "-" + logs);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Child.class.getName(), entry, logs, out.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    Path err = work.resolve(entry + "-" + logs + ".err");
    Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    boolean done = p.waitFor(180, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String text = Files.readString(err);
    assertThat(done).as("the child finished; its stderr:%n%s", text).isTrue();
    assertThat(p.exitValue()).as("exit code; stderr:%n%s", text).isZero();
    return text;
  }

  /**
   * A user's program: {@code cli} runs {@code diffuse4j [--verbose] run}, {@code api} trains and samples
   * through the Java API ({@code show}: after {@code Diffuse4j.tensorFlowLogs(true)}); then a graph runs
   * with device-placement logging.
   */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      boolean show = args[1].equals("show");
      Path out = Path.of(args[2]);
      if (args[0].equals("cli")) {
        List<String> cli = new ArrayList<>(show ? List.of("--verbose") : List.of());
        cli.addAll(List.of("run", Path.of("..", "examples", "manifests", "two-moons.yaml").toString(), "--out", out.toString(),
            "--set", "training.steps=4", "--set", "training.warmup=1", "--set", "sampling.n=64", "--set", "sampling.steps=2"));
        int code = Main.execute(cli.toArray(String[]::new));
        if (code != 0) {
          System.exit(code);
        }
      } else {
        if (show) {
          Diffuse4j.tensorFlowLogs(true);
        }
        var run = Diffuse4j.experiment()
            .data("two-moons")
            .network("mlp", Map.of("width", 16, "depth", 1))
            .schedule("rectified-flow")
            .parameterisation("velocity")
            .objective("flow-matching")
            .training(Training.defaults().steps(4).warmup(1).batchSize(64))
            .sampling(Sampling.defaults().solver("euler").steps(2).n(64))
            .build()
            .run(out);
        System.err.println("sampled " + run.samples().n());
      }
      try (Graph g = new Graph(); Session s = new Session(g, ConfigProto.newBuilder().setLogDevicePlacement(true).build())) {
        Ops tf = Ops.create(g);
        s.runner().fetch(tf.math.add(tf.constant(1f), tf.constant(2f))).run().close();
      }
    }
  }
}
