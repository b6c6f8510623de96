package org.diffuse4j.runtime.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.run.Experiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sample RUN_DIR}: samples again from a finished run's checkpoint with other sampling
 * settings (solver, grid, steps, n, seed, initial noise), without training; rewrites the run's
 * samples, plots and metrics.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Sample from a trained run folder (e.g. with another solver or step count).")
final class SampleCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by 'run'")
  Path dir;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a sampling value, e.g. sampling.solver=dpmpp-2m")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--init", paramLabel = "NPY", description = "initial noise (n × dim standard normal)")
  Path init;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> tree = RunFolder.samplingTree(dir, overrides, "sample");
    if (init != null) {
      ManifestLoader.override(tree, "sampling.init=" + init);
    }
    Manifest m = ManifestLoader.resolve(tree, main.registry());
    Experiment.run(m, dir, true, main.out, main.err);
    return 0;
  }
}
