package org.diffuse4j.api;

/**
 * A training loss. The Java side draws each example's time from the objective's density, asks for
 * its weight and lets the coupling pair data with noise; the graph side turns the batch into a
 * per-example loss of shape [B], which the runtime averages. (Template: TorchCFM's objectives.)
 */
public interface Objective {

  /**
   * Maps a uniform u ∈ (0, 1) to a training time t (inverse CDF of the time density). The run's
   * schedule is given for densities defined on σ/α or λ (EDM's log-normal).
   *
   * @param schedule the run's schedule
   * @param u a uniform draw in (0, 1)
   * @return the training time t in the schedule's [tMin, tMax]
   */
  double sampleTime(Schedule schedule, double u);

  /**
   * The training time of an example at optimiser step {@code step}: objectives with a curriculum
   * (consistency training's growing number of levels) override this; the default ignores the step.
   *
   * @param schedule the run's schedule
   * @param u a uniform draw in (0, 1)
   * @param step the optimiser step, from 0
   * @return the training time t in the schedule's [tMin, tMax]
   */
  default double sampleTime(Schedule schedule, double u, long step) {
    return sampleTime(schedule, u);
  }

  /**
   * Whether each example also gets a second, earlier time ({@link #pairedTime}), fed as
   * {@link TrainingBatch#paired()}: consistency training compares the model at adjacent times.
   *
   * @return true if the trainer must call {@link #pairedTime} for each example; false by default
   */
  default boolean pairsTimes() {
    return false;
  }

  /**
   * The earlier time paired with {@code t} at step {@code step} (only when {@link #pairsTimes()}).
   *
   * @param schedule the run's schedule
   * @param t the example's training time
   * @param step the optimiser step, from 0
   * @return the paired time, earlier than (below) {@code t}
   * @throws UnsupportedOperationException if this objective pairs no times (the default)
   */
  default double pairedTime(Schedule schedule, double t, long step) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " pairs no times");
  }

  /**
   * The paired time with a uniform draw of its own, for objectives whose second time is random
   * (MeanFlow's end time); the default ignores {@code u} and calls {@link #pairedTime(Schedule,
   * double, long)}. The trainer calls this one.
   *
   * @param schedule the run's schedule
   * @param t the example's training time
   * @param step the optimiser step, from 0
   * @param u a uniform draw in (0, 1), independent of the one that gave {@code t}
   * @return the paired time, at or below {@code t}
   */
  default double pairedTime(Schedule schedule, double t, long step, double u) {
    return pairedTime(schedule, t, step);
  }

  /**
   * This objective for the run's schedule: the trainer builds the loss graph with the returned one.
   * The default returns this objective; objectives whose loss needs path points at times of their
   * own, drawn in the graph (CTM's teacher time u between the example's two times), return a copy
   * that holds the schedule. Objectives stay immutable.
   *
   * @param schedule the run's schedule
   * @return the objective whose {@code loss} the trainer builds
   */
  default Objective bind(Schedule schedule) {
    return this;
  }

  /**
   * Whether this objective trains a flow map G(x, s, t): the run then needs a flow-map
   * parameterisation and a network that reads two times, and the loss gets them in
   * {@link TrainingNetworks#flowMap()}. False by default.
   *
   * @return true for flow-map objectives (MeanFlow, CTM)
   */
  default boolean trainsFlowMap() {
    return false;
  }

  /**
   * The decay μ of the target network θ⁻ ({@link Need#TARGET}). Below 0 (the default) θ⁻ is the
   * run's EMA ({@code training.ema}, with its warm-up), which sampling also uses; in (0, 1) θ⁻ is its
   * own average, θ⁻ ← μθ⁻ + (1 − μ)θ after each step (consistency models: μ = 0.95 for the target
   * against 0.9999 for sampling, Song et al. 2023); 0 makes θ⁻ = θ with stopped gradients (improved
   * consistency training, Song &amp; Dhariwal 2023).
   *
   * @return μ in [0, 1), or a negative value for the run's EMA
   */
  default double targetDecay() {
    return -1;
  }

  /**
   * Whether this objective feeds the network a guidance scale in {@link Condition#scale()} (guidance
   * distillation, Meng et al. 2023): the run then needs a network that {@linkplain
   * org.diffuse4j.api.model.NetworkFactory#readsGuidanceScale() reads it}. False by default.
   *
   * @return true for objectives that train a guidance-conditioned student
   */
  default boolean feedsGuidanceScale() {
    return false;
  }

  /**
   * The sampling grid t_0 &gt; … &gt; t_N the trained model is only good on, or null (the default) for a
   * model of the whole path: a progressive-distillation student learns one step between adjacent
   * times of its own grid and nothing else. Preflight refuses a sampling grid with other times.
   *
   * @param schedule the run's schedule
   * @return the times the sampling grid must visit, from noise to data; null if any grid will do
   */
  default double[] samplingGrid(Schedule schedule) {
    return null;
  }

  /**
   * Whether the teacher is also evaluated at each example's guidance scale (progressive distillation
   * of a guidance-distilled run, Meng et al. 2023 §4.1 stage two): the teacher must then read w
   * itself. False by default (guidance distillation feeds w to the student only; its teacher is a CFG
   * model).
   *
   * @return true for objectives whose teacher steps at each example's w
   */
  default boolean feedsTeacherGuidanceScale() {
    return false;
  }

  /**
   * Per-example weight w(t), evaluated in Java from the schedule; 1 by default.
   *
   * @param schedule the run's schedule
   * @param t the example's training time
   * @return the loss weight w(t) &gt;= 0
   */
  default double weight(Schedule schedule, double t) {
    return 1.0;
  }

  /**
   * How data rows pair with noise rows (independent by default; minibatch OT, …). Not consulted
   * when {@link #pairedNoise()} is true: then the data set's pairs are the coupling.
   *
   * @return the coupling of data and noise rows; {@link Coupling#INDEPENDENT} by default
   */
  default Coupling coupling() {
    return Coupling.INDEPENDENT;
  }

  /**
   * Whether the data set supplies the noise row paired with each data row; the runtime then feeds
   * it instead of drawing fresh noise (reflow: Liu et al. 2022, pairs (x0, ε) where x0 is the end of
   * a trained model's probability-flow ODE started at ε). False by default.
   *
   * @return true if the data set's noise rows are fed instead of fresh noise
   */
  default boolean pairedNoise() {
    return false;
  }

  /**
   * Per-example loss, shape [B].
   *
   * @param batch the training batch: data, noise, times and path coefficients
   * @param network the network being trained
   * @param param the parameterisation that turns the network's output into a prediction
   * @return the loss of each example, shape [B]
   */
  org.diffuse4j.api.tensor.Tensor loss(TrainingBatch batch, Network network, Parameterisation param);

  /** A network beyond the one being trained that an objective can ask the trainer for. */
  enum Need {
    /** A frozen teacher: a trained run ({@code teacher: {run: DIR}}), its parameterisation, guidance and ODE solver. */
    TEACHER,
    /** The EMA target θ⁻: the run's own EMA weights ({@code training.ema}), read with stopped gradients. */
    TARGET,
    /**
     * The weights start from a trained run's ({@code teacher: {run: DIR}}, same network and
     * parameterisation) instead of the network's initialisation: tuning, as easy consistency tuning.
     */
    INIT,
    /**
     * A learned per-time log-variance u_φ of the loss ({@link LearnedWeight}), trained with the
     * model: the objective weighs its loss as L·e^{−u} + u (EDM2's uncertainty weighting, sCM's w_φ).
     */
    WEIGHTING
  }

  /**
   * The extra networks this objective needs (none by default); the trainer builds them into the training graph.
   *
   * @return the needed networks, empty by default
   */
  default java.util.Set<Need> needs() {
    return java.util.Set.of();
  }

  /**
   * Per-example loss, shape [B], with the networks of {@link #needs()}. The default ignores the
   * extra ones and calls {@link #loss(TrainingBatch, Network, Parameterisation)}.
   *
   * @param batch the training batch: data, noise, times and path coefficients
   * @param networks the network being trained and the extra networks of {@link #needs()}
   * @param param the parameterisation that turns the network's output into a prediction
   * @return the loss of each example, shape [B]
   */
  default org.diffuse4j.api.tensor.Tensor loss(TrainingBatch batch, TrainingNetworks networks, Parameterisation param) {
    return loss(batch, networks.network(), param);
  }
}
