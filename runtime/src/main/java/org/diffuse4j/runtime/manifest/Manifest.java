package org.diffuse4j.runtime.manifest;

import java.util.Map;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.Teacher;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.tensor.Precision;

/**
 * A validated manifest: the resolved tree (defaults filled in, overrides applied), the typed
 * sections and every plugin already built from its options. Nothing here has run any work yet.
 *
 * @param guidance the guidance plugin, or null for "none" when no such plugin is installed
 * @param teacher the frozen teacher of {@code teacher: {run: DIR}}, or null when there is none
 */
public record Manifest(
    Map<String, Object> resolved,
    TopLevel top,
    TrainingOptions training,
    SamplingOptions sampling,
    OutputOptions output,
    DataSet data,
    NetworkFactory network,
    Schedule schedule,
    Parameterisation parameterisation,
    Objective objective,
    Solver solver,
    TimeGrid grid,
    Guidance guidance,
    Teacher teacher) {

  /** A manifest without a teacher. */
  public Manifest(Map<String, Object> resolved, TopLevel top, TrainingOptions training, SamplingOptions sampling,
      OutputOptions output, DataSet data, NetworkFactory network, Schedule schedule, Parameterisation parameterisation,
      Objective objective, Solver solver, TimeGrid grid, Guidance guidance) {
    this(resolved, top, training, sampling, output, data, network, schedule, parameterisation, objective, solver, grid,
        guidance, null);
  }

  /**
   * The flow-map parameterisation of a flow-map run (MeanFlow, CTM, consistency), whose diagonal is
   * {@link #parameterisation()}; null for an ordinary model.
   */
  public org.diffuse4j.api.FlowMapParameterisation flowMap() {
    return parameterisation instanceof org.diffuse4j.api.FlowMapParameterisation.Diagonal d ? d.flowMap() : null;
  }

  /** The master seed. */
  public long seed() {
    return top.seed();
  }

  /** Graph precision. */
  public Precision precision() {
    return top.precision();
  }

  /** Seed of the training batches. */
  public long trainingSeed() {
    return training.seed() >= 0 ? training.seed() : top.seed();
  }

  /** Seed of the sampling noise. */
  public long samplingSeed() {
    return sampling.seed() >= 0 ? sampling.seed() : top.seed();
  }
}
