package org.diffuse4j.runtime.sample;

import java.util.function.BiFunction;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.FlowMap;
import org.diffuse4j.api.NoiseSource;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.tensor.Tensor;

/**
 * The sampled model built around a given network and label tensor (the sampling graphs build it
 * around stand-ins and the real network alike): its (guided) denoiser and, for a flow-map run, its
 * flow map G(x, s, t).
 *
 * @param denoiser the (guided) denoiser of a network and the labels (null: unconditional)
 * @param flowMap the flow map of a network and the labels, or null for an ordinary model
 */
record ModelOf(BiFunction<Network, Tensor, Denoiser> denoiser, BiFunction<Network, Tensor, FlowMap> flowMap) {

  /** The sampling problem of the model around {@code network} and {@code labels}. */
  SamplingProblem problem(Network network, Tensor labels, Schedule schedule, double[] times, Tensor xInit,
      NoiseSource noise) {
    return new SamplingProblem(denoiser.apply(network, labels), schedule, times, xInit, noise,
        flowMap == null ? null : flowMap.apply(network, labels));
  }
}
