package org.diffuse4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.run.Experiment;
import org.diffuse4j.runtime.run.OutputPaths;
import org.diffuse4j.runtime.run.ScaleOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sample RUN_DIR}: samples again from a finished run's checkpoint with other sampling
 * settings (solver, grid, steps, n, seed, initial noise) into a new folder, by default
 * {@code RUN_DIR/samples/NAME/}. Never trains and never changes the run's own files.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Sample from a trained run folder (e.g. with another solver or step count) into a new folder: "
        + "RUN_DIR/samples/NAME/ (NAME from solver, grid and steps, with -2, -3, ... when taken) or --out DIR, holding "
        + "its manifest.yaml (the settings used), samples.npy, samples.png and metrics.json.",
        "Never trains (an unfinished run is refused: finish it with 'run --resume') and never changes the run's files."})
final class SampleCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by 'run'")
  Path dir;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a sampling value, e.g. sampling.solver=dpmpp-2m")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--init", paramLabel = "NPY", description = "initial noise (n × dim standard normal)")
  Path init;

  @Option(names = "--name", paramLabel = "NAME", description = "write to RUN_DIR/samples/NAME/ (default: from solver, grid and steps, e.g. heun-uniform-8)")
  String name;

  @Option(names = "--out", paramLabel = "DIR", description = "write to this folder instead of RUN_DIR/samples/NAME/ (new or empty)")
  Path out;

  @Option(names = "--force", description = "the output folder exists: move it aside (to DIR.replaced-DATE-TIME; nothing is deleted)")
  boolean force;

  @Option(names = "--spark", paramLabel = "MASTER", description = "compute the samples as an Apache Spark job on MASTER (e.g. local[2], "
      + "local[*], spark://HOST:7077, yarn): bitwise the samples of a plain 'sample', plus samples.parquet (index, label, "
      + "values); needs the diffuse4j-spark module (docs/scale-out.md)")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "with --spark: the number of tasks (default: Spark's default parallelism)")
  Integer partitions;

  @Override
  public Integer call() throws Exception {
    if (partitions != null && spark == null) {
      throw new OptionException("--partitions " + partitions + " sets the number of Spark tasks; give it with --spark MASTER");
    }
    if (partitions != null && partitions < 1) {
      throw new OptionException("--partitions must be >= 1, got " + partitions);
    }
    ScaleOut scaleOut = spark == null ? null : ScaleOut.find("spark");
    if (name != null && out != null) {
      throw new OptionException("--name names a folder in RUN_DIR/samples/ and --out any folder: give one of them");
    }
    if (name != null && !NAME.matcher(name).matches()) {
      throw new OptionException("--name '" + name + "' is not a plain folder name; use letters, digits, '.', '_', '+' and '-', "
          + "e.g. --name heun-20");
    }
    if (!Files.isDirectory(dir)) {
      throw new OptionException("'" + dir + "' is not a run folder: no such folder (run 'diffuse4j run MANIFEST' first)");
    }
    Map<String, Object> tree = RunFolder.samplingTree(dir, overrides, "sample");
    if (init != null) {
      ManifestLoader.override(tree, "sampling.init=" + init);
    }
    Manifest m = ManifestLoader.resolve(tree, main.registry());
    Path target = out != null ? out : dir.resolve(OutputPaths.SAMPLES).resolve(name != null ? name : OutputPaths.freeSampleName(dir, m));
    OutputPaths.checkFolder(target, out != null ? "--out" : "--name", force, OutputPaths.Input.run(dir),
        init == null ? null : OutputPaths.Input.file("--init", init));
    ScaleOut.SampleJob job = spark == null ? null : new ScaleOut.SampleJob(spark, partitions == null ? 0 : partitions,
        m.resolved(), PluginDiscovery.pluginsFolder(main.plugins), dir);
    Experiment.sample(m, dir, target, main.out, main.err, scaleOut, job);
    return 0;
  }
}
