package org.diffuse4j.runtime.lib;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.plugin.Kind;

/**
 * The manifest's {@code sampling} section, typed: solver, time grid, steps, sample count, seed.
 * Immutable; keys left unset keep the defaults (or, for {@link Run#sample}, the run's own settings).
 */
public final class Sampling {
  private final Map<String, Object> values;
  private final List<Section.Instance> instances;

  private Sampling(Map<String, Object> values, List<Section.Instance> instances) {
    this.values = values;
    this.instances = instances;
  }

  /**
   * Every key at its default (euler on the uniform grid, 50 steps, 2000 samples).
   *
   * @return these settings with the change
   */
  public static Sampling defaults() {
    return new Sampling(Map.of(), List.of());
  }

  /** The section as a manifest holds it. */
  static Sampling of(Object section) {
    return new Sampling(Section.read(section, "sampling"), List.of());
  }

  private Sampling set(String key, Object value) {
    return new Sampling(Section.with(values, key, value), instances);
  }

  /**
   * The solver, by name (e.g. {@code heun}, {@code dpmpp-2m}).
   *
   * @param name the plugin's name, as {@code diffuse4j plugins} lists it
   * @return these settings with the change
   */
  public Sampling solver(String name) {
    return solver(Plugin.named(name));
  }

  /**
   * The solver, by name with options or as an instance.
   *
   * @param solver the solver
   * @return these settings with the change
   */
  public Sampling solver(Plugin solver) {
    return new Sampling(Section.with(values, "solver", solver.spec()), Section.instances(instances, Kind.SOLVER, solver));
  }

  /**
   * The time grid, by name (e.g. {@code uniform}, {@code karras}).
   *
   * @param name the plugin's name, as {@code diffuse4j plugins} lists it
   * @return these settings with the change
   */
  public Sampling grid(String name) {
    return grid(Plugin.named(name));
  }

  /**
   * The time grid, by name with options or as an instance.
   *
   * @param grid the time grid
   * @return these settings with the change
   */
  public Sampling grid(Plugin grid) {
    return new Sampling(Section.with(values, "grid", grid.spec()), Section.instances(instances, Kind.GRID, grid));
  }

  /**
   * Solver steps (grid intervals).
   *
   * @param steps the number of steps
   * @return these settings with the change
   */
  public Sampling steps(int steps) {
    return set("steps", steps);
  }

  /**
   * Number of samples.
   *
   * @param n the number of samples
   * @return these settings with the change
   */
  public Sampling n(int n) {
    return set("n", n);
  }

  /**
   * Samples per graph call; with one chunk size the samples are bitwise the same whatever {@code n} is.
   *
   * @param batchSize the batch size
   * @return these settings with the change
   */
  public Sampling batchSize(int batchSize) {
    return set("batch_size", batchSize);
  }

  /**
   * Seed of the initial and solver noise (-1: the experiment's seed).
   *
   * @param seed the seed
   * @return these settings with the change
   */
  public Sampling seed(long seed) {
    return set("seed", seed);
  }

  /**
   * A .npy file of standard-normal initial noise (n × dim) instead of drawn noise.
   *
   * @param npy the .npy file
   * @return these settings with the change
   */
  public Sampling init(Path npy) {
    return set("init", npy.toString());
  }

  /**
   * Whether to sample with the EMA weights when the checkpoint has them.
   *
   * @param useEma whether to use the EMA weights
   * @return these settings with the change
   */
  public Sampling useEma(boolean useEma) {
    return set("use_ema", useEma);
  }

  /**
   * The class of every sample (-1: unconditional).
   *
   * @param label the class id
   * @return these settings with the change
   */
  public Sampling label(int label) {
    return set("label", String.valueOf(label));
  }

  /**
   * Sample i gets class i mod K (labelled data).
   *
   * @return these settings with the change
   */
  public Sampling everyLabel() {
    return set("label", "all");
  }

  /**
   * The keys set, in manifest spelling.
   *
   * @return the keys set, in manifest spelling
   */
  public Map<String, Object> values() {
    return values;
  }

  List<Section.Instance> instances() {
    return instances;
  }

  /** This section with {@code more} instances (a copied experiment's solver and grid objects). */
  Sampling withInstances(List<Section.Instance> more) {
    List<Section.Instance> all = new java.util.ArrayList<>(instances);
    all.addAll(more);
    return new Sampling(values, List.copyOf(all));
  }

  @Override
  public String toString() {
    return "sampling " + values;
  }
}
