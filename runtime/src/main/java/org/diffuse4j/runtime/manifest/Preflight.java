package org.diffuse4j.runtime.manifest;

import java.nio.file.Path;
import java.util.Arrays;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.tensor.Backend;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * The checks across sections that {@link ManifestLoader#resolve} runs after every plugin is built
 * and before any work: the grid the solver will visit (and the one a distilled student was trained
 * for), a solver that needs an eager backend, guidance
 * that needs a class-conditional network, and the initial-noise file. {@code validate} runs exactly
 * these, so a manifest it accepts does not fail on them after training.
 */
public final class Preflight {
  private Preflight() {}

  /**
   * Runs every check on {@code m}. {@code sampledInGraph}: whether the command samples with the graph
   * engine ({@code validate}, {@code run}, {@code sample}, {@code reflow}); {@code likelihood} and
   * {@code encode} integrate on an eager backend and never read {@code sampling.init}.
   */
  public static void check(Manifest m, boolean sampledInGraph) {
    grid(m);
    samplingGrid(m);
    flowMap(m);
    guidanceScale(m);
    guidance(m);
    label(m);
    if (sampledInGraph) {
      solver(m);
      if (!m.sampling().init().equals("none")) {
        initNoise(m);
      }
    }
  }

  /**
   * The grid's times for sampling.steps: bounds in order, an explicit list of the right length,
   * decreasing, and every point inside the schedule's [tMin, tMax] (a last point may be 0), which the
   * solvers' coefficients (e.g. {@code timeOfLambda}) assume.
   */
  static void grid(Manifest m) {
    int steps = m.sampling().steps();
    double[] times;
    try {
      times = m.grid().times(m.schedule(), steps);
    } catch (IllegalArgumentException e) {
      throw new OptionException("invalid 'sampling.grid' (" + spec(m.sampling().grid()) + ") with sampling.steps="
          + steps + ": " + e.getMessage() + "; fix the grid's options or sampling.steps"
          + " ('diffuse4j inspect grid NAME' prints a grid's times)");
    }
    double tMin = m.schedule().tMin();
    double tMax = m.schedule().tMax();
    for (int k = 0; k < times.length; k++) {
      boolean finalZero = k == times.length - 1 && times[k] == 0;
      if (!finalZero && !(times[k] >= tMin * (1 - 1e-12) && times[k] <= tMax * (1 + 1e-12))) {
        throw new OptionException("'sampling.grid' " + spec(m.sampling().grid()) + " puts point " + k + " of " + times.length
            + " at t = " + times[k] + ", outside the schedule's usable range [" + tMin + ", " + tMax + "] (only a last "
            + "point may be exactly 0); grids of training timesteps k/N (normal, simple, sgm-uniform, ddim-uniform, beta, "
            + "linear-quadratic, discrete-*) ignore the schedule's range: use a grid that follows it (karras, log-snr, "
            + "uniform) or a schedule whose range holds them");
      }
    }
  }

  /**
   * A model trained for one grid only ({@link org.diffuse4j.api.Objective#samplingGrid}: a
   * progressive-distillation student of N steps) samples on that grid's times: sampling.steps = N and
   * the same points, to 10⁻⁹.
   */
  static void samplingGrid(Manifest m) {
    double[] want = m.objective().samplingGrid(m.schedule());
    if (want == null) {
      return;
    }
    int steps = m.sampling().steps();
    double[] got = m.grid().times(m.schedule(), steps);
    int differs = -1;
    for (int k = 0; k < Math.max(want.length, got.length) && differs < 0; k++) {
      if (k >= want.length || k >= got.length || Math.abs(want[k] - got[k]) > 1e-9) {
        differs = k;
      }
    }
    if (differs < 0) {
      return;
    }
    int n = want.length - 1;
    String visits = got.length != want.length
        ? steps + " steps"
        : "point " + differs + " at t = " + fmt(got[differs]) + " instead of " + fmt(want[differs]);
    throw new OptionException("objective " + spec(m.resolved().get("objective")) + " trains a student for " + n
        + " steps on the times " + times(want) + " and nothing else, but 'sampling.grid' " + spec(m.sampling().grid())
        + " with sampling.steps=" + steps + " visits " + visits + "; sample it on its own grid: --set sampling.steps="
        + n + " --set \"sampling.grid=" + uniform(want, m.schedule()) + "\" (with solver ddim)"
        + (steps == n ? "" : ", or distil a student for " + steps + " steps (objective.student_steps=" + steps + ")"));
  }

  /** The uniform grid with {@code t}'s bounds, as a manifest value. */
  private static String uniform(double[] t, org.diffuse4j.api.Schedule schedule) {
    double hi = t[0];
    double lo = t[t.length - 1];
    String bounds = (hi == schedule.tMax() ? "" : ", t_max: " + hi) + (lo == schedule.tMin() ? "" : ", t_min: " + lo);
    return bounds.isEmpty() ? "uniform" : "{name: uniform" + bounds + "}";
  }

  /** Grid times for a message: all of them up to 9, else the first three and the last. */
  private static String times(double[] t) {
    StringBuilder b = new StringBuilder("[");
    for (int k = 0; k < t.length; k++) {
      if (t.length > 9 && k == 3) {
        b.append(", …");
        k = t.length - 1;
      }
      b.append(k == 0 ? "" : ", ").append(fmt(t[k]));
    }
    return b.append("]").toString();
  }

  private static String fmt(double t) {
    String s = String.format(java.util.Locale.ROOT, "%.6g", t);
    return s.contains(".") ? s.replaceAll("0+(?=$|e)", "").replaceAll("\\.(?=$|e)", "") : s;
  }

  /**
   * A flow-map run (MeanFlow, CTM) needs all three: a flow-map objective, a flow-map
   * parameterisation and a network that reads two times; and no guidance (a jump is not guided).
   */
  static void flowMap(Manifest m) {
    String objective = spec(m.resolved().get("objective"));
    String param = spec(m.resolved().get("parameterisation"));
    String network = spec(m.resolved().get("network"));
    boolean objectiveMaps = m.objective().trainsFlowMap();
    boolean paramMaps = m.flowMap() != null;
    boolean networkMaps = m.network().times() == 2;
    String fix = "a flow-map run sets all three: a flow-map objective (meanflow), a flow-map parameterisation "
        + "(meanflow, ctm) and a two-time network (network: {name: mlp, times: 2})";
    if (objectiveMaps && !paramMaps) {
      throw new OptionException("objective " + objective + " trains a flow map G(x, s, t), but parameterisation "
          + param + " is a one-time model's; " + fix);
    }
    if (paramMaps && !objectiveMaps) {
      throw new OptionException("parameterisation " + param + " is a flow map G(x, s, t), but objective " + objective
          + " trains a one-time model; " + fix);
    }
    if (paramMaps != networkMaps) {
      throw new OptionException(paramMaps
          ? "parameterisation " + param + " is a flow map G(x, s, t), but network " + network + " reads one time; " + fix
          : "network " + network + " reads two times (s, t), but parameterisation " + param + " is a one-time model's; "
              + "set network.times: 1, or make it " + fix);
    }
    String guidance = spec(m.resolved().get("guidance"));
    if (paramMaps && m.guidance() != null && !guidance.equals(spec("none"))) {
      throw new OptionException("guidance " + guidance + " guides a denoiser, but this run's model is a flow map "
          + "whose jumps it cannot guide; use guidance: none");
    }
  }

  /**
   * A network that reads the guidance scale w (a guidance-distilled student, Meng et al. 2023) is
   * trained by an objective that feeds w and sampled by guidance that feeds it ({@code distilled});
   * any other guidance would call a model that is already guided (cfg: two evaluations of it) or give
   * it no w, and {@code distilled} on a network without the input would drop w. A network that reads
   * w needs an objective that feeds it; an objective that steps the teacher at each example's w
   * (progressive distillation, stage two) needs a teacher that reads w, and guidance distillation
   * (stage one) a CFG teacher that does not.
   */
  static void guidanceScale(Manifest m) {
    String network = spec(m.resolved().get("network"));
    String objective = spec(m.resolved().get("objective"));
    boolean reads = m.network().readsGuidanceScale();
    if (m.objective().feedsGuidanceScale() && !reads) {
      throw new OptionException("objective " + objective + " feeds the student the guidance scale w, but network "
          + network + " does not read it; set network.guidance_input: true");
    }
    if (reads && !m.objective().feedsGuidanceScale()) {
      throw new OptionException("network " + network + " reads the guidance scale w (guidance_input: true), but objective "
          + objective + " feeds it none; train a w-reading student with objective: guidance-distillation (from a CFG "
          + "teacher) or progressive-distillation with w_max >= 0 (from a w-reading teacher), or set "
          + "network.guidance_input: false");
    }
    if (m.teacher() != null) {
      boolean teacherReads = m.teacher().guidance() != null && m.teacher().guidance().feedsGuidanceScale();
      if (m.objective().feedsTeacherGuidanceScale() && !teacherReads) {
        throw new OptionException("objective " + objective + " steps the teacher at each example's guidance scale w, but "
            + "the teacher does not read w (it is not a guidance-distilled run); distil the CFG teacher first with "
            + "objective: guidance-distillation and network.guidance_input: true, and give that run as teacher.run "
            + "(or set w_max: -1 to distil without w)");
      }
      if (m.objective().feedsGuidanceScale() && !m.objective().feedsTeacherGuidanceScale() && teacherReads) {
        throw new OptionException("objective " + objective + " distils a CFG teacher (conditional and unconditional "
            + "predictions), but the teacher reads the guidance scale w itself (a guidance-distilled run); halve its "
            + "steps with objective: {name: progressive-distillation, w_min: W0, w_max: W1} instead, or give a CFG run as "
            + "teacher.run");
      }
    }
    boolean feeds = m.guidance() != null && m.guidance().feedsGuidanceScale();
    String guidance = m.guidance() == null ? "'none'" : spec(m.resolved().get("guidance"));
    if (feeds && !reads) {
      throw new OptionException("guidance " + guidance + " feeds the guidance scale w to the network, but network "
          + network + " does not read it (it is not a guidance-distilled student); use guidance: cfg, or distil the "
          + "run with objective: guidance-distillation and network.guidance_input: true");
    }
    if (reads && !feeds) {
      throw new OptionException("network " + network + " reads the guidance scale w (guidance_input: true), but guidance "
          + guidance + " does not feed it" + (m.guidance() != null && m.guidance().needsConditionalModel()
              ? " and would guide a model that is already guided (two evaluations of the student per call)" : "")
          + "; use guidance: {name: distilled, scale: W} (one evaluation at scale W)");
    }
  }

  /** A solver that reads values between steps (rk45) cannot run in the sampling graph. */
  static void solver(Manifest m) {
    if (m.solver().traits().eagerOnly()) {
      throw new OptionException("'sampling.solver' " + spec(m.sampling().solver())
          + " needs an eager backend (it chooses its steps from values read between steps), but run and sample "
          + "build a graph; use a fixed-step solver such as dopri5, rk4 or heun (it still works as "
          + "'likelihood --solver' or 'encode --solver')");
    }
  }

  /**
   * Guidance that contrasts conditional and unconditional predictions needs a class-conditional
   * network; guidance that guides towards a label (classifier) needs sampling.label.
   */
  static void guidance(Manifest m) {
    if (m.guidance() == null) {
      return;
    }
    String name = spec(m.resolved().get("guidance"));
    if (m.guidance().needsConditionalModel() && classes(m) == 0) {
      throw new OptionException("guidance " + name + " contrasts the network's conditional and unconditional "
          + "predictions, but the network is unconditional (network.num_classes: 0); set network.num_classes to "
          + "the number of classes (and train with objective.p_uncond > 0), or use guidance: none");
    }
    if (m.guidance().needsLabels() && m.sampling().unconditional()) {
      throw new OptionException("guidance " + name + " needs a class label to guide towards, but sampling.label is -1 "
          + "(unconditional); set sampling.label to a class id (0, 1, …) or 'all', or use guidance: none");
    }
  }

  /**
   * A class label needs a class-conditional network that has that class; 'all' needs labelled data.
   * (The sampling engine checks the same, but only after training.)
   */
  static void label(Manifest m) {
    if (m.sampling().unconditional()) {
      return;
    }
    String label = m.sampling().label().trim();
    boolean all = label.equals("all");
    if (all && m.data().classes() == 0) {
      throw new OptionException("value 'all' for 'sampling.label' cycles through the data's classes, but this data "
          + "set has no labels; set sampling.label to a class id or -1 (unconditional)");
    }
    int classes = classes(m);
    if (classes == 0) {
      throw new OptionException("value '" + label + "' for 'sampling.label' needs a class-conditional network, but "
          + "the network is unconditional (network.num_classes: 0); set network.num_classes, or sampling.label: -1");
    }
    int highest = all ? m.data().classes() - 1 : Integer.parseInt(label);
    if (highest >= classes) {
      throw new OptionException("sampling.label " + label + " is not a class of the network"
          + (all ? " (the data has " + m.data().classes() + " classes)" : "") + " (network.num_classes: " + classes
          + "; classes are 0 … " + (classes - 1) + "); set sampling.label in that range or raise network.num_classes");
    }
  }

  /** The network's number of classes (0 = unconditional), from a throw-away graph. */
  private static int classes(Manifest m) {
    try (Graph g = new Graph()) {
      return m.network().build(new Backend(Ops.create(g), m.precision()), m.data().dim(), m.seed()).classes();
    }
  }

  /**
   * The initial noise of {@code sampling.init}: an n × dim (or longer) .npy file of finite values;
   * null for 'none'. Every problem fails naming the key and the file.
   */
  public static double[] initNoise(Manifest m) {
    String init = m.sampling().init();
    if (init.equals("none")) {
      return null;
    }
    if (init.isBlank()) {
      throw new OptionException("'sampling.init' is empty; give a .npy file of initial noise or 'none'");
    }
    Path p = Path.of(init);
    Npy.Array a = Npy.readInput(p, "sampling.init");
    int n = m.sampling().n();
    int dim = m.data().dim();
    int[] s = a.shape();
    if (s.length != 2 || s[1] != dim || s[0] < n) {
      throw new OptionException("sampling.init: " + p + " has shape " + Arrays.toString(s) + ", expected [" + n + ", "
          + dim + "] (at least sampling.n = " + n + " rows of the data's " + dim + " values); write standard-normal "
          + "noise of that shape (numpy: np.save('init.npy', np.random.randn(" + n + ", " + dim + ")))");
    }
    return a.data();
  }

  /**
   * The extra networks the objective needs ({@link Objective#needs()}) against the manifest: a teacher
   * needs {@code teacher: {run: DIR}} (and nothing else may set one), an EMA target needs
   * {@code training.ema} &gt; 0 unless it has its own decay ({@link Objective#targetDecay()}). Runs before the teacher run is read.
   */
  static void networks(TopLevel top, Objective objective, TrainingOptions training) {
    String name = spec(top.objective());
    boolean teacherGiven = !"none".equals(top.teacher());
    if (objective.needs().contains(Objective.Need.TEACHER) && !teacherGiven) {
      throw new OptionException("objective " + name + " distils from a teacher, but the manifest names none; add "
          + "'teacher: {run: DIR}' with a trained run folder (make one with './diffuse4j run "
          + "examples/manifests/two-moons.yaml', then teacher: {run: runs/two-moons})");
    }
    if (objective.needs().contains(Objective.Need.INIT) && !teacherGiven) {
      throw new OptionException("objective " + name + " tunes a trained run, but the manifest names none; add "
          + "'teacher: {run: DIR}' with a run trained with the same network and parameterisation");
    }
    boolean usesRun = objective.needs().contains(Objective.Need.TEACHER) || objective.needs().contains(Objective.Need.INIT);
    if (!usesRun && teacherGiven) {
      throw new OptionException("'teacher' is set, but objective " + name + " uses no teacher; remove 'teacher' or "
          + "use an objective that distils (consistency-distillation)");
    }
    if (objective.needs().contains(Objective.Need.TARGET) && objective.targetDecay() < 0 && training.ema() <= 0) {
      throw new OptionException("objective " + name + " compares with the EMA target θ⁻ (the run's EMA weights), but "
          + "training.ema is 0; set training.ema > 0 (e.g. 0.999), or give the target its own decay with "
          + "objective.target_ema (0 = the network itself)");
    }
  }

  /** A plugin spec as the user wrote it (a name, or the map), for messages. */
  private static String spec(Object spec) {
    return "'" + (spec instanceof java.util.Map<?, ?> map ? map.get("name") : spec) + "'";
  }
}
