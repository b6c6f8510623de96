package org.diffuse4j.runtime.sample;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * A network and parameterisation whose {@link #predictAll} stacks the conditions into one network
 * call (batch k·B), as guidance with several model evaluations wants. When some conditions carry
 * labels, the unconditional ones become the null label −1 (which conditional networks map to their
 * null class), so classifier-free guidance's (c, ∅) pair is one call.
 */
public record BatchedDenoiser(Network network, Parameterisation param) implements ConditionalDenoiser {
  @Override
  public Prediction predict(Tensor x, PathPoint p, Condition c) {
    return param.interpret(network.apply(param.networkInput(x, p), param.networkTime(p), c), x, p);
  }

  @Override
  public List<Prediction> predictAll(Tensor x, PathPoint p, List<Condition> conditions) {
    int k = conditions.size();
    long b = x.shape().get(0);
    boolean allNone = conditions.stream().noneMatch(Condition::isConditional);
    if (k == 1 || b < 0 || p.t().rank() > 0) {
      return ConditionalDenoiser.super.predictAll(x, p, conditions);
    }
    Tensor in = param.networkInput(x, p);
    Tensor[] rest = new Tensor[k - 1];
    java.util.Arrays.fill(rest, in);
    Tensor stacked = in.concat(0, rest);
    Condition c = Condition.none();
    if (!allNone) {
      // "no condition" is the null label, which conditional networks take from a negative label
      double[] minusOne = new double[(int) b];
      java.util.Arrays.fill(minusOne, -1);
      Tensor nul = x.backend().constant(minusOne, b);
      Tensor[] labels = conditions.stream().map(q -> q.isConditional() ? q.labels().reshape(b) : nul).toArray(Tensor[]::new);
      c = new Condition(labels[0].concat(0, java.util.Arrays.copyOfRange(labels, 1, k)));
    }
    Tensor raw = network.apply(stacked, param.networkTime(p), c);
    List<Prediction> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      out.add(param.interpret(raw.rows(i * b, b), x, p));
    }
    return out;
  }
}
