package org.diffuse4j.runtime.train;

import static org.diffuse4j.api.plugin.Kind.DATA;
import static org.diffuse4j.api.plugin.Kind.GUIDANCE;
import static org.diffuse4j.api.plugin.Kind.NETWORK;
import static org.diffuse4j.api.plugin.Kind.PARAMETERISATION;
import static org.diffuse4j.api.plugin.Kind.SCHEDULE;
import static org.diffuse4j.api.plugin.Kind.SOLVER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.manifest.TopLevel;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * The manifest's {@code teacher: {run: DIR}}: a trained run folder read as a frozen {@link Teacher}
 * (its network with the checkpoint's weights as constants, EMA ones when saved; its schedule,
 * parameterisation and guidance) with the ODE solver of {@code teacher.solver}. An analytic network
 * (the {@code gmm} exact denoiser) needs no checkpoint.
 */
public final class TeacherRun {
  private TeacherRun() {}

  /** Options of the manifest's {@code teacher} section. */
  public record TeacherOptions(
      @Option(doc = "a run folder written by 'run' (manifest.yaml and checkpoint/)") String run,
      @Option(doc = "the ODE solver of the teacher's step (any solver plugin that draws no noise)", def = "heun") Object solver,
      @Option(doc = "the teacher's guidance: 'run' (as in its manifest), 'none' or a guidance plugin", def = "run") Object guidance,
      @Option(doc = "use the checkpoint's EMA weights when it has them", def = "true") boolean use_ema) {}

  /** Reads {@code spec} (the manifest's {@code teacher} value) for a student whose data has width {@code dim}. */
  public static Teacher load(Object spec, PluginRegistry registry, int dim) {
    if (!(spec instanceof Map<?, ?> map)) {
      throw new OptionException("wrong type for 'teacher': expected a map such as {run: runs/two-moons}, got '" + spec + "'");
    }
    @SuppressWarnings("unchecked")
    TeacherOptions o = Options.bind(TeacherOptions.class, (Map<String, Object>) map, "teacher");
    Path run = Path.of(o.run());
    Path manifest = run.resolve("manifest.yaml");
    if (!Files.isRegularFile(manifest)) {
      throw new OptionException("'teacher.run': '" + run + "' is not a run folder (it has no manifest.yaml); train the "
          + "teacher first, e.g. './diffuse4j run examples/manifests/two-moons.yaml', and give its output.dir");
    }
    TopLevel top = Options.bind(TopLevel.class, ManifestLoader.read(manifest), "");
    String of = " (of the teacher " + run + ")";
    DataSet data = registry.create(DATA, top.data(), "data" + of);
    if (data.dim() != dim) {
      throw new OptionException("'teacher.run': the teacher " + run + " was trained on data of " + data.dim()
          + " values per row, but this run's data has " + dim + "; distil from a teacher trained on the same data");
    }
    NetworkFactory factory = registry.create(NETWORK, top.network(), "network" + of);
    Schedule schedule = registry.create(SCHEDULE, top.schedule(), "schedule" + of);
    Parameterisation param = org.diffuse4j.runtime.manifest.ManifestLoader.parameterisation(
        registry.create(PARAMETERISATION, top.parameterisation(), "parameterisation" + of), "parameterisation" + of);
    Solver solver = registry.create(SOLVER, o.solver(), "teacher.solver");
    if (solver.traits().stochastic()) {
      throw new OptionException("'teacher.solver' draws noise (an SDE sampler), but the teacher's step follows its "
          + "probability-flow ODE; use an ODE solver such as heun, euler or dpmpp-2m");
    }
    if (solver.traits().eagerOnly()) {
      throw new OptionException("'teacher.solver' chooses its steps from values read between steps and cannot run in "
          + "the training graph; use a fixed-step solver such as heun, rk4 or dpmpp-2m");
    }
    Object guidanceSpec = "run".equals(o.guidance()) ? top.guidance() : o.guidance();
    Guidance guidance = "none".equals(guidanceSpec) && !registry.entries(GUIDANCE).containsKey("none")
        ? null : registry.create(GUIDANCE, guidanceSpec, "teacher.guidance");
    if (factory.readsGuidanceScale() && (guidance == null || !guidance.feedsGuidanceScale())) {
      throw new OptionException("'teacher.guidance': the teacher " + run + " reads the guidance scale w (a "
          + "guidance-distilled run), but its guidance " + guidanceSpec + " does not feed w; use teacher.guidance: run "
          + "(its manifest's) or {name: distilled, scale: W}");
    }
    boolean trainable;
    ConditionalDenoiser analytic = null;
    try (Graph g = new Graph()) {
      Model model = factory.build(new Backend(Ops.create(g), top.precision()), dim, top.seed());
      trainable = model.trainable();
      if (!trainable) {
        analytic = model.denoiser(param, schedule);
      }
    }
    ConditionalDenoiser model = trainable ? new Trained(TrainedNetwork.load(run, o.use_ema(), registry, "teacher"), param)
        : analytic;
    return new Teacher(model, guidance, schedule, solver);
  }

  /** A trained teacher's network and parameterisation; its weights can also start a tuning run ({@code INIT}). */
  public record Trained(TrainedNetwork network, Parameterisation param) implements ConditionalDenoiser {
    @Override
    public org.diffuse4j.api.Prediction predict(org.diffuse4j.api.tensor.Tensor x, org.diffuse4j.api.PathPoint p,
        org.diffuse4j.api.Condition c) {
      return param.interpret(network.apply(param.networkInput(x, p), param.networkTime(p), c), x, p);
    }
  }

  /**
   * The teacher run's weights as the starting values of the student network {@code student}
   * (objectives that need {@code INIT}), one array per student weight in its creation order. The
   * same network takes them as they are. A student that reads the guidance scale w from a teacher
   * that does not (guidance distillation) takes them by weight name, and its weights the teacher
   * lacks (those reading w) start at zero: the w features then add nothing, so the student starts as
   * the teacher's conditional model.
   */
  public static List<double[]> initialWeights(Teacher teacher, NetworkFactory student, int dim, long seed,
      org.diffuse4j.api.tensor.Precision precision) {
    if (teacher == null || !(teacher.model() instanceof Trained t)) {
      throw new OptionException("the objective tunes a trained run's weights, but 'teacher.run' names "
          + (teacher == null ? "no run" : "an analytic model with no weights") + "; give 'teacher: {run: DIR}' with a run "
          + "trained with the same network and parameterisation");
    }
    List<double[]> values = t.network().values();
    NetworkFactory own = t.network().factory();
    if (!student.readsGuidanceScale() || own.readsGuidanceScale()) {
      return values;
    }
    List<String> names = new java.util.ArrayList<>(TrainedNetwork.weightNames(own, dim, seed, precision).keySet());
    List<double[]> start = new java.util.ArrayList<>();
    java.util.Set<String> used = new java.util.HashSet<>();
    for (var w : TrainedNetwork.weightNames(student, dim, seed, precision).entrySet()) {
      int i = names.indexOf(w.getKey());
      if (i < 0) {
        start.add(new double[Math.toIntExact(w.getValue())]);
        continue;
      }
      if (values.get(i).length != w.getValue()) {
        throw new OptionException("'teacher.run': the teacher's weight " + w.getKey() + " has " + values.get(i).length
            + " values, the student's " + w.getValue() + "; start from a teacher with the same network but for "
            + "guidance_input, or set objective.init: false");
      }
      start.add(values.get(i));
      used.add(w.getKey());
    }
    if (used.size() != names.size()) {
      List<String> missing = names.stream().filter(n -> !used.contains(n)).toList();
      throw new OptionException("'teacher.run': the student network has no weight named " + missing.get(0) + " ("
          + missing.size() + " of the teacher's " + names.size() + " are missing); start from a teacher with the same "
          + "network but for guidance_input, or set objective.init: false");
    }
    return start;
  }
}
