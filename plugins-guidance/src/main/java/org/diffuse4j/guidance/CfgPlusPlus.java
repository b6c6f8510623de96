package org.diffuse4j.guidance;

import java.util.List;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.Denoiser;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.tensor.Tensor;

/**
 * CFG++ (Chung et al. 2024, "CFG++: manifold-constrained classifier-free guidance"): the denoised
 * estimate is guided, x̂0 = x̂0(x|∅) + λ(x̂0(x|c) − x̂0(x|∅)) with λ ∈ [0, 1], but the noise kept for
 * re-noising is the unconditional ε̂(x|∅). The returned pair is therefore deliberately not
 * x = α x̂0 + σ ε̂: a DDIM-form step x' = α' x̂0 + σ' ε̂ is exactly the paper's CFG++ DDIM update, and the
 * velocity α̇ x̂0 + σ̇ ε̂ gives its Euler counterpart. A solver that reads only x̂0 (DPM-Solver++) sees
 * plain interpolated guidance. Outside the guidance interval the pair is the conditional model's.
 * 2 evaluations per call (one batched call).
 *
 * @param scale λ(t), in [0, 1] for the constant scale of the paper
 */
public record CfgPlusPlus(ScaleSchedule scale) implements Guidance {

  @Override
  public boolean needsConditionalModel() {
    return true;
  }


  public CfgPlusPlus {
    if (scale.scale() < 0 || scale.scale() > 1) {
      throw new IllegalArgumentException(
          "cfg-plus-plus scale lambda must be in [0, 1] (an interpolation, Chung et al. 2024), got " + scale.scale());
    }
  }

  @Override
  public Denoiser guide(ConditionalDenoiser model, Condition condition) {
    return new Guided("cfg-plus-plus lambda=" + scale.scale(), 2, (x, p) -> {
      List<Prediction> both = model.predictAll(x, p, List.of(condition, Condition.none()));
      Prediction c = both.get(0);
      Prediction u = both.get(1);
      Tensor x0 = u.x0().plus(c.x0().minus(u.x0()).times(scale.at(p)));
      // outside the interval the conditional noise is kept (the conditional model)
      Tensor eps = scale.everywhere() ? u.eps() : u.eps().plus(c.eps().minus(u.eps()).times(scale.inside(p).rsub(1)));
      return new Prediction(x, p, x0, eps);
    });
  }
}
