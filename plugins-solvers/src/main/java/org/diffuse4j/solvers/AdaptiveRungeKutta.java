package org.diffuse4j.solvers;

import java.util.List;
import org.diffuse4j.api.SamplingProblem;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.SolverState;
import org.diffuse4j.api.SolverTraits;
import org.diffuse4j.api.tensor.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * An embedded Runge–Kutta pair with adaptive sub-steps inside every grid interval (Hairer, Nørsett
 * &amp; Wanner, Solving ODEs I, §II.4; rk45 = Dormand–Prince 5(4), as diffrax's Dopri5 with a PID-free
 * "I" controller): a trial step h gives x' (order p) and the error estimate e = h Σ (b_i − b̂_i) k_i;
 * it is accepted when ‖e / (atol + rtol·max(|x|, |x'|))‖_RMS ≤ 1, and the next trial is
 * h·clamp(0.9·err^(−1/p), 0.2, 5). The grid's points are the output times; the first trial of each
 * interval is the whole interval.
 *
 * <p><b>Eager backend only.</b> Accepting or rejecting a step needs the error norm as a Java number
 * between steps, which a graph being built cannot give; on an eager backend
 * ({@code Ops.create(EagerSession)}) every tensor has its value at once, so the controller reads it.
 * The norm is taken over the whole batch (the batch shares its step sizes, as in torchdiffeq and
 * diffrax), so results depend on the batch at the level of the tolerance, and the number of model
 * calls is known only afterwards: {@link SolverState#nfe()} has it, while {@link #evaluations(int)}
 * is the minimum (one accepted trial per interval). A step to σ = 0 is an Euler step, as in
 * {@link RungeKutta}.
 *
 * @param tableau a tableau with embedded weights b̂
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 * @param maxTrials trial steps allowed per grid interval before giving up
 */
public record AdaptiveRungeKutta(ButcherTableau tableau, double rtol, double atol, int maxTrials) implements Solver {

  public AdaptiveRungeKutta {
    if (tableau.bHat() == null) {
      throw new IllegalArgumentException("adaptive stepping needs a tableau with embedded weights; " + tableau.name() + " has none");
    }
    if (!(rtol > 0) || !(atol > 0) || maxTrials < 1) {
      throw new IllegalArgumentException("need rtol > 0, atol > 0 and max_trials >= 1, got " + rtol + ", " + atol + ", " + maxTrials);
    }
  }

  @Override
  public SolverTraits traits() {
    return new SolverTraits(tableau.order(), tableau.stages(), false, 0, true);
  }

  @Override
  public SolverState step(SamplingProblem problem, SolverState state) {
    if (!problem.xInit().backend().tf().scope().env().isEager()) {
      throw new IllegalStateException(
          "rk45 chooses its steps from the error norm, a number it can only read on an eager backend "
              + "(Ops.create(EagerSession)); in graph mode use a fixed-step solver such as dopri5 or rk4");
    }
    int k = state.k();
    double end = problem.t(k + 1);
    if (problem.schedule().sigma(end) == 0) {
      return new RungeKutta(ButcherTableau.EULER).step(problem, state);
    }
    double t = problem.t(k);
    double h = end - t;
    Tensor x = state.x();
    int calls = 0;
    double[] bHat = tableau.bHat();
    for (int trial = 0; t != end; trial++) {
      if (trial >= maxTrials) {
        throw new IllegalStateException("rk45 needed more than " + maxTrials + " trial steps between t = "
            + problem.t(k) + " and " + end + "; loosen rtol/atol or raise max_trials");
      }
      if (Math.abs(h) >= Math.abs(end - t)) {
        h = end - t;
      }
      Tensor[] slopes = new Tensor[tableau.stages()];
      for (int i = 0; i < slopes.length; i++) {
        Tensor xi = x;
        for (int j = 0; j < i; j++) {
          if (tableau.a(i, j) != 0) {
            xi = xi.plus(slopes[j].times(h * tableau.a(i, j)));
          }
        }
        slopes[i] = problem.predictAt(xi, t + tableau.c(i) * h).velocity();
      }
      calls += slopes.length;
      Tensor next = x;
      Tensor err = x.zerosLike();
      for (int i = 0; i < slopes.length; i++) {
        if (tableau.b(i) != 0) {
          next = next.plus(slopes[i].times(h * tableau.b(i)));
        }
        if (tableau.b(i) != bHat[i]) {
          err = err.plus(slopes[i].times(h * (tableau.b(i) - bHat[i])));
        }
      }
      Tensor scale = x.abs().max(next.abs()).times(rtol).plus(atol);
      double norm = value(err.div(scale).square().mean().sqrt());
      if (norm <= 1) {
        t = Math.abs(end - (t + h)) <= 1e-14 * Math.abs(end - problem.t(k)) ? end : t + h;
        x = next;
      }
      h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(norm, 1e-10), -1.0 / tableau.order())));
    }
    return new SolverState(k + 1, x, List.of(), state.nfe() + calls);
  }

  /** The value of an eager scalar. */
  private static double value(Tensor scalar) {
    Object v = scalar.op().asTensor();
    return v instanceof TFloat64 d ? d.getDouble() : ((TFloat32) v).getFloat();
  }
}
