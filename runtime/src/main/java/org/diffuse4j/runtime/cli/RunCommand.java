package org.diffuse4j.runtime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.run.Experiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code run MANIFEST}: validate, train, sample, write the run folder. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Train and sample as a manifest says; writes a run folder.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Mixin ManifestOptions manifest = new ManifestOptions();

  @Option(names = "--out", paramLabel = "DIR", description = "run folder (default: the manifest's output.dir); an existing one is overwritten unless --resume")
  Path out;

  @Option(names = "--resume", description = "continue from the run folder's checkpoint")
  boolean resume;

  @Option(names = "--init", paramLabel = "NPY", description = "initial noise (n × dim standard normal) for sampling")
  Path init;

  @Override
  public Integer call() throws Exception {
    if (init != null) {
      manifest.overrides.add("sampling.init=" + init);
    }
    Manifest m = manifest.load(main.registry());
    Path dir = out != null ? out : Path.of(m.output().dir());
    Experiment.run(m, dir, resume, main.out, main.err);
    return 0;
  }
}
