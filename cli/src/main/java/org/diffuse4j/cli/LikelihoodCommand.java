package org.diffuse4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.likelihood.Dequantisation;
import org.diffuse4j.runtime.likelihood.Inputs;
import org.diffuse4j.runtime.likelihood.LikelihoodEngine;
import org.diffuse4j.runtime.likelihood.LikelihoodMoments;
import org.diffuse4j.runtime.likelihood.LikelihoodOptions;
import org.diffuse4j.runtime.likelihood.Likelihoods;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.run.OutputPaths;
import org.diffuse4j.runtime.run.ScaleOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code likelihood RUN_DIR_OR_MANIFEST}: log-likelihood of data under the probability-flow ODE (docs/likelihood.md). */
@Command(name = "likelihood", mixinStandardHelpOptions = true, description = "Negative log-likelihood of data under the probability-flow ODE.")
final class LikelihoodCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Mixin OdeOptions ode;

  @Option(names = "--data", paramLabel = "NPY", description = "rows to evaluate (n × dim); default: --n draws of the manifest's data set")
  Path data;

  @Option(names = "--n", paramLabel = "N", description = "rows drawn from the data set, or the first N of --data (default 1000 drawn / all of --data)")
  Integer n;

  @Option(names = "--sample", paramLabel = "N", description = "instead of --data: draw N new samples and compute their log-likelihood in the same integration (noise to data)")
  Integer sample;

  @Option(names = "--out", paramLabel = "NPY", description = "with --sample: write the samples (N × dim) to this new file")
  Path out;

  @Option(names = "--force", description = "overwrite an existing --out file")
  boolean force;

  @Option(names = "--divergence", paramLabel = "KIND", description = "exact (d gradients per evaluation) or hutchinson (default exact)")
  String divergence = "exact";

  @Option(names = "--probes", paramLabel = "K", description = "Hutchinson probes per sample (default 4)")
  int probes = 4;

  @Option(names = "--probe", paramLabel = "KIND", description = "Hutchinson probe distribution: gaussian or rademacher (default rademacher)")
  String probe = "rademacher";

  @Option(names = "--prior", paramLabel = "KIND", description = "density at t_max: gaussian N(0, σ(t_max)² I), or exact (gmm network only) (default gaussian)")
  String prior = "gaussian";

  @Option(names = "--solver", paramLabel = "NAME", description = "a deterministic solver plugin (default rk4)")
  String solver = "rk4";

  @Option(names = "--steps", paramLabel = "N", description = "solver steps (default 64)")
  int steps = 64;

  @Option(names = "--dequantise", paramLabel = "LEVELS", description = "uniformly dequantise discrete data with this many levels (256 for 8-bit images) and report bits_per_dim")
  Integer levels;

  @Option(names = "--data-range", split = ",", paramLabel = "LO,HI", description = "stored values of the lowest and highest level (default -1,1)")
  double[] range = {-1, 1};

  @Option(names = "--seed", paramLabel = "S", description = "seed of the probes and the dequantisation noise (default the manifest's)")
  Long seed;

  @Option(names = "--spark", paramLabel = "MASTER", description = "integrate the rows as an Apache Spark job on MASTER (e.g. local[2]); "
      + "each row bitwise as in one process, the summary combined from the tasks' moments; needs the diffuse4j-spark module (docs/scale-out.md)")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "with --spark: the number of tasks (default: Spark's default parallelism)")
  Integer partitions;

  @Override
  public Integer call() throws Exception {
    if (partitions != null && (spark == null || partitions < 1)) {
      throw new OptionException(spark == null ? "--partitions sets the number of Spark tasks; give it with --spark MASTER"
          : "--partitions must be >= 1, got " + partitions);
    }
    if (spark != null && sample != null) {
      throw new OptionException("--spark evaluates given rows (--data or --n); drawing new samples with --sample runs in one "
          + "process: drop --spark, or draw them with 'sample --spark' and evaluate those with --data");
    }
    ScaleOut scaleOut = spark == null ? null : ScaleOut.find("spark");
    LikelihoodOptions.Divergence div = LikelihoodOptions.parse(LikelihoodOptions.Divergence.class, divergence, "--divergence");
    LikelihoodOptions.Probe kind = LikelihoodOptions.parse(LikelihoodOptions.Probe.class, probe, "--probe");
    LikelihoodOptions.Prior pr = LikelihoodOptions.parse(LikelihoodOptions.Prior.class, prior, "--prior");
    if (range.length != 2) {
      throw new OptionException("--data-range needs two values LO,HI, got " + range.length);
    }
    Inputs.Target t = ode.target(main.registry());
    Manifest m = t.manifest();
    long s = seed != null ? seed : m.seed();
    LikelihoodOptions options = new LikelihoodOptions(div, kind, div == LikelihoodOptions.Divergence.EXACT ? 1 : probes, pr, s);
    Schedule schedule = m.schedule();
    OdeOptions.Range span = ode.range(main.registry(), schedule, steps, Inputs.defaultTMin(schedule));
    Solver method = main.registry().create(Kind.SOLVER, solver, "--solver");
    int dim = m.data().dim();
    if (sample != null && (data != null || n != null || levels != null)) {
      throw new OptionException("--sample draws new samples; it cannot be combined with --data, --n or --dequantise");
    }
    if (sample != null && sample < 1) {
      throw new OptionException("--sample must be >= 1, got " + sample);
    }
    if (out != null && sample == null) {
      throw new OptionException("--out writes the samples of --sample; add --sample N");
    }
    if (out != null) {
      OutputPaths.checkFile(out, "--out", force, ode.input());
    }
    double[] x = sample != null ? null : Inputs.data(data, m, n == null ? 1000 : n, n == null ? 0 : n);
    int rows = sample != null ? sample : x.length / dim;
    Dequantisation deq = levels == null ? null : new Dequantisation(levels, range[0], range[1]);
    if (deq != null) {
      x = deq.apply(x, rows, dim, s);
    }

    long t0 = System.nanoTime();
    if (scaleOut != null) {
      ScaleOut.LikelihoodJob job = new ScaleOut.LikelihoodJob(spark, partitions == null ? 0 : partitions, m.resolved(),
          PluginDiscovery.pluginsFolder(main.plugins), t.checkpoint() == null ? null : t.checkpoint().dir().getParent(),
          solver, span.times(), options, ode.batch);
      LikelihoodMoments moments = scaleOut.likelihood(job, x, rows);
      double seconds = (System.nanoTime() - t0) / 1e9;
      ode.print(main.out, summary(moments.meanNll(), Double.isNaN(moments.trueNll()) ? null : moments.trueNll() / rows,
          Double.isNaN(moments.absDiff()) ? null : moments.absDiff() / rows, deq, moments.stdError(),
          moments.probeStdError(), rows, dim, moments.nfe(), options, kind, span, seconds, "data"), 24);
      return 0;
    }
    Likelihoods l;
    GaussianMixture mixture;
    try (LikelihoodEngine engine = new LikelihoodEngine(m, method, solver, span.times(), options, dim, ode.batch, t.checkpoint())) {
      if (sample != null) {
        LikelihoodEngine.Sampled drawn = engine.sample(m.samplingSeed(), sample);
        x = drawn.x();
        l = drawn.likelihoods();
      } else {
        l = engine.evaluate(x, rows);
      }
      mixture = engine.mixture();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (this.out != null) {
      Npy.writeFloat32(this.out, x, rows, dim);
    }

    Double nllTrue = null;
    Double diff = null;
    if (mixture != null) {
      double[] ours = l.perSample();
      nllTrue = 0.0;
      diff = 0.0;
      for (int i = 0; i < rows; i++) {
        double lp = mixture.logDensity(java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim));
        nllTrue -= lp / rows;
        diff += Math.abs(ours[i] - lp) / rows;
      }
    }
    ode.print(main.out, summary(l.meanNll(), nllTrue, diff, deq, l.stdError(), l.probeStdError(), rows, dim, l.nfe(), options,
        kind, span, seconds, sample != null ? "sampled" : "data"), 24);
    return 0;
  }

  /** The printed summary; {@code nllTrue} and {@code diff} (the gmm network's exact comparison) may be null. */
  private Map<String, Object> summary(double meanNll, Double nllTrue, Double diff, Dequantisation deq, double stdError,
      double probeStdError, int rows, int dim, int nfe, LikelihoodOptions options, LikelihoodOptions.Probe kind,
      OdeOptions.Range span, double seconds, String mode) {
    LikelihoodOptions.Divergence div = options.divergence();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", mode);
    out.put("mean_nll", meanNll);
    if (nllTrue != null && deq == null) {
      out.put("mean_nll_true", nllTrue);
      out.put("mean_abs_diff_true", diff);
    }
    if (deq != null) {
      out.put("bits_per_dim", deq.bitsPerDim(meanNll, dim));
    }
    out.put("std_error", finite(stdError));
    if (div == LikelihoodOptions.Divergence.HUTCHINSON) {
      out.put("probe_std_error", finite(probeStdError));
    }
    out.put("n", rows);
    out.put("dim", dim);
    out.put("nfe", nfe);
    out.put("gradients_per_evaluation", div == LikelihoodOptions.Divergence.EXACT ? dim : options.probes());
    out.put("divergence", div.name().toLowerCase());
    if (div == LikelihoodOptions.Divergence.HUTCHINSON) {
      out.put("probes", options.probes());
      out.put("probe", kind.name().toLowerCase());
    }
    out.put("prior", options.prior().name().toLowerCase());
    out.put("solver", solver);
    out.put("steps", steps);
    out.put("grid", ode.grid);
    out.put("t_min", span.tMin());
    out.put("t_max", span.tMax());
    out.put("seconds", seconds);
    return out;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
