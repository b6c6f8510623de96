package org.diffuse4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.run.Experiment;
import org.diffuse4j.runtime.run.OutputPaths;
import org.diffuse4j.runtime.run.ScaleOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code run MANIFEST}: validate, train, sample, write the run folder. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Train and sample as a manifest says; writes a run folder.",
        "The folder must be new or empty, or hold a run: --resume continues it, --force moves it aside "
            + "(to DIR.replaced-DATE-TIME) and starts again. A folder holding anything else is refused. "
            + "Everything is checked before the first file is written."})
final class RunCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Mixin ManifestOptions manifest = new ManifestOptions();

  @Option(names = "--out", paramLabel = "DIR", description = "run folder (default: the manifest's output.dir): new, empty, or a run to --resume or --force")
  Path out;

  @Option(names = "--resume", description = "continue the run in the folder from its checkpoint; training.steps may grow, "
      + "sampling and guidance may change, nothing else")
  boolean resume;

  @Option(names = "--force", description = "the folder holds a run: move it aside (to DIR.replaced-DATE-TIME; nothing is deleted) and start a new one")
  boolean force;

  @Option(names = "--init", paramLabel = "NPY", description = "initial noise (n × dim standard normal) for sampling")
  Path init;

  @Option(names = "--spark", paramLabel = "MASTER", description = "train data-parallel as an Apache Spark barrier job on MASTER "
      + "(e.g. local[2], spark://HOST:7077): each task computes the gradients of its part of every batch, the tasks average "
      + "them every step; sampling then runs here. Needs the diffuse4j-spark module (docs/scale-out.md)")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "with --spark: the number of tasks, a divisor of "
      + "training.batch_size (default: Spark's default parallelism)")
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
    if (out != null) {
      OutputPaths.requireNotBlank(out.toString(), "--out", "the run", "--out runs/my-run");
    }
    if (init != null) {
      manifest.overrides.add("sampling.init=" + init);
    }
    Manifest m = manifest.load(main.registry());
    if (out == null) {
      OutputPaths.requireNotBlank(m.output().dir(), "output.dir", "the run", "output: {dir: runs/my-run}");
    }
    if (partitions != null && m.training().batch_size() % partitions != 0) {
      throw new OptionException("--partitions " + partitions + " does not divide training.batch_size " + m.training().batch_size()
          + ": each task trains on an equal part of every batch; give a divisor of it, or set training.batch_size");
    }
    Path dir = out != null ? out : Path.of(m.output().dir());
    requireInitOutsideTheRunsFiles(m.sampling().init(), dir);
    Experiment.Start start = RunFolder.start(dir, resume, force, m, main.registry());
    ScaleOut.TrainJob job = spark == null ? null : new ScaleOut.TrainJob(spark, partitions == null ? 0 : partitions,
        m.resolved(), PluginDiscovery.pluginsFolder(main.plugins), dir);
    Experiment.run(m, dir, start, main.out, main.err, null, scaleOut, job);
    return 0;
  }

  /** The initial noise must not be a file the run writes (e.g. its own samples.npy): an output never overwrites an input. */
  private static void requireInitOutsideTheRunsFiles(String init, Path dir) {
    if (init.equals("none")) {
      return;
    }
    Path file = OutputPaths.real(Path.of(init));
    Path run = OutputPaths.real(dir);
    if (file.startsWith(run) && !file.equals(run)
        && OutputPaths.RUN_FILES.contains(run.relativize(file).getName(0).toString())) {
      throw new OptionException("sampling.init " + init + " is one of the files the run in " + dir
          + " writes; a command never writes over what it reads. Copy it elsewhere first and give that copy");
    }
  }
}
