package org.diffuse4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.SplitDataSet;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.eval.ClassifierCache;
import org.diffuse4j.runtime.eval.Evaluation;
import org.diffuse4j.runtime.run.ScaleOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code evaluate RUN_DIR}: class accuracy and Fréchet distance of a Fashion-MNIST run's samples. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Class accuracy and classifier-feature Fréchet distance of a Fashion-MNIST run's samples"
    + " (writes RUN_DIR/evaluation.json, its only output; a failed evaluation writes nothing).")
final class EvaluateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder, or a sample folder RUN/samples/NAME written by 'sample' (manifest.yaml and samples.npy)")
  Path runDir;

  @Option(names = "--cache", paramLabel = "DIR", description = "cache root of the evaluation classifier (default $"
      + ClassifierCache.ENV + " or ~/.cache/diffuse4j)")
  Path cache;

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX folder, read only to train the classifier (default "
      + "/usr/share/datasets/fashion-mnist)")
  Path data = Path.of("/usr/share/datasets/fashion-mnist");

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Option(names = "--spark", paramLabel = "MASTER", description = "run the classifier over the samples as an Apache Spark job on MASTER "
      + "(e.g. local[2]); the Fréchet statistics and accuracies joined from the tasks' moments; needs the diffuse4j-spark module "
      + "(docs/scale-out.md)")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "with --spark: the number of tasks (default: Spark's default parallelism)")
  Integer partitions;

  /**
   * The data set from the {@code fashion-mnist} data plugin, needed only to train the classifier; a
   * missing data set is a user error, not a crash.
   */
  private SplitDataSet loadData() {
    DataSet d = main.registry().create(Kind.DATA, Map.of("name", "fashion-mnist", "path", data.toString()), "--data");
    if (!(d instanceof SplitDataSet s)) {
      throw new OptionException("the data plugin 'fashion-mnist' does not give the training and test splits evaluate needs");
    }
    return s;
  }

  @Override
  public Integer call() throws Exception {
    Path root = cache != null ? cache : ClassifierCache.defaultRoot();
    if (partitions != null && (spark == null || partitions < 1)) {
      throw new OptionException(spark == null ? "--partitions sets the number of Spark tasks; give it with --spark MASTER"
          : "--partitions must be >= 1, got " + partitions);
    }
    ScaleOut scaleOut = spark == null ? null : ScaleOut.find("spark");
    Map<String, Object> out = Evaluation.evaluate(runDir, root, this::loadData, ClassifierCache.Spec.full(), main.err, scaleOut,
        spark == null ? null : new ScaleOut.EvaluateJob(spark, partitions == null ? 0 : partitions, null));
    if (json) {
      main.out.println(JSON.writeValueAsString(out));
    } else {
      out.forEach((k, v) -> main.out.printf("%-26s %s%n", k, v instanceof int[] a ? java.util.Arrays.toString(a) : v));
      main.out.printf("wrote %s%n", runDir.resolve("evaluation.json"));
    }
    return 0;
  }
}
