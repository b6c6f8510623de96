package org.diffuse4j.api.analytic;

import java.util.Arrays;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.ConditionalDenoiser;
import org.diffuse4j.api.CounterNoise;
import org.diffuse4j.api.PathPoint;
import org.diffuse4j.api.Prediction;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Tensor;

/**
 * Mixture of isotropic Gaussians Σ_k w_k N(μ_k, s_k² I): exact E[x0 | x_t] for any schedule.
 *
 * <p>Under x_t = α x0 + σ ε, component k's marginal is x_t | k ~ N(α μ_k, τ_k² I) with
 * τ_k² = α² s_k² + σ². The responsibilities are r_k ∝ w_k N(x; α μ_k, τ_k² I) (log-sum-exp) and
 * the posterior mean is E[x0 | x_t] = Σ_k r_k (μ_k + (α s_k² / τ_k²)(x − α μ_k)); then
 * ε̂ = (x − α x̂0)/σ and the score is −ε̂/σ (Tweedie). Everything a solver needs is therefore exact:
 * solvers are tested on it free of training error. Components with s_k = 0 are point masses (see
 * {@link PointCloud}).
 *
 * @param means component means μ_k, each of length {@link #dim()}
 * @param stds component standard deviations s_k ≥ 0
 * @param weights mixture weights w_k &gt; 0 (normalised here)
 */
public record GaussianMixture(double[][] means, double[] stds, double[] weights) {

  /**
   * Checks the components agree in number and dimension (std &gt;= 0, weight &gt; 0); copies the arrays, weights
   * normalised to sum 1.
   *
   * @param means component means μ_k, all of the same length ≥ 1
   * @param stds component standard deviations s_k ≥ 0, one per component
   * @param weights mixture weights w_k &gt; 0, one per component (need not sum to 1)
   */
  public GaussianMixture {
    if (means.length == 0 || means.length != stds.length || means.length != weights.length) {
      throw new IllegalArgumentException(
          "a mixture needs as many means, stds and weights (>= 1), got "
              + means.length + ", " + stds.length + ", " + weights.length);
    }
    int d = means[0].length;
    double total = 0;
    for (int k = 0; k < means.length; k++) {
      if (means[k].length != d || d == 0) {
        throw new IllegalArgumentException("mean " + k + " has dimension " + means[k].length + ", expected " + d);
      }
      if (!(stds[k] >= 0) || !(weights[k] > 0)) {
        throw new IllegalArgumentException(
            "component " + k + " needs std >= 0 and weight > 0, got " + stds[k] + ", " + weights[k]);
      }
      total += weights[k];
    }
    double[][] m = new double[means.length][];
    double[] w = new double[weights.length];
    for (int k = 0; k < means.length; k++) {
      m[k] = means[k].clone();
      w[k] = weights[k] / total;
    }
    means = m;
    stds = stds.clone();
    weights = w;
  }

  /**
   * A fixed 3-component 2-D mixture (unequal weights and widths) used throughout the kit.
   *
   * @return the mixture with means (−1.5, 0), (1.5, 0.5), (0, −1.5), stds 0.3, 0.5, 0.4 and weights 0.5, 0.3,
   *     0.2
   */
  public static GaussianMixture standard2d() {
    return new GaussianMixture(
        new double[][] {{-1.5, 0.0}, {1.5, 0.5}, {0.0, -1.5}},
        new double[] {0.3, 0.5, 0.4},
        new double[] {0.5, 0.3, 0.2});
  }

  /**
   * Data dimension.
   *
   * @return the length d of each mean, ≥ 1
   */
  public int dim() {
    return means[0].length;
  }

  /**
   * Number of components.
   *
   * @return the number K of components, ≥ 1
   */
  public int components() {
    return means.length;
  }

  /**
   * The component means (a copy).
   *
   * @return a fresh K × d copy of μ_k
   */
  @Override
  public double[][] means() {
    double[][] m = new double[means.length][];
    for (int k = 0; k < m.length; k++) {
      m[k] = means[k].clone();
    }
    return m;
  }

  /**
   * The component standard deviations (a copy).
   *
   * @return a fresh copy of s_k, length K
   */
  @Override
  public double[] stds() {
    return stds.clone();
  }

  /**
   * The mixture weights (a copy).
   *
   * @return a fresh copy of the normalised w_k (summing to 1), length K
   */
  @Override
  public double[] weights() {
    return weights.clone();
  }

  // ---------------------------------------------------------------- closed forms in Java doubles

  /**
   * The marginal q_t of x_t = α(t) x0 + σ(t) ε: again a mixture, with means α μ_k and stds
   * τ_k = √(α² s_k² + σ²).
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in [0, tMax] (0 = data)
   * @return the mixture q_t, with the same weights
   */
  public GaussianMixture at(Schedule schedule, double t) {
    double a = schedule.alpha(t);
    double s = schedule.sigma(t);
    double[][] m = new double[means.length][dim()];
    double[] tau = new double[means.length];
    for (int k = 0; k < means.length; k++) {
      for (int j = 0; j < dim(); j++) {
        m[k][j] = a * means[k][j];
      }
      tau[k] = Math.sqrt(a * a * stds[k] * stds[k] + s * s);
    }
    return new GaussianMixture(m, tau, weights);
  }

  /**
   * Data log-density log Σ_k w_k N(x; μ_k, s_k² I) (needs every s_k &gt; 0).
   *
   * @param x a point, length {@link #dim()}
   * @return the natural log of the data density at x
   */
  public double logDensity(double[] x) {
    return logSumExp(logJoint(x));
  }

  /**
   * Log-density of the marginal q_t at x.
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in [0, tMax]
   * @param x a point, length {@link #dim()}
   * @return log q_t(x)
   */
  public double logDensityAt(Schedule schedule, double t, double[] x) {
    return at(schedule, t).logDensity(x);
  }

  /**
   * Exact score ∇ₓ log q_t(x) = Σ_k r_k (α μ_k − x)/τ_k².
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in [0, tMax]
   * @param x a point, length {@link #dim()}
   * @return the score at x, length {@link #dim()}
   */
  public double[] score(Schedule schedule, double t, double[] x) {
    GaussianMixture q = at(schedule, t);
    double[] r = q.responsibilities(x);
    double[] out = new double[dim()];
    for (int k = 0; k < components(); k++) {
      double tau2 = q.stds[k] * q.stds[k];
      for (int j = 0; j < dim(); j++) {
        out[j] += r[k] * (q.means[k][j] - x[j]) / tau2;
      }
    }
    return out;
  }

  /**
   * Exact E[x0 | x_t = x] = Σ_k r_k (μ_k + (α s_k²/τ_k²)(x − α μ_k)).
   *
   * @param schedule the noising schedule giving α(t) and σ(t)
   * @param t the time, in [0, tMax]
   * @param x the noisy point x_t, length {@link #dim()}
   * @return the posterior mean x̂0, length {@link #dim()}
   */
  public double[] posteriorMean(Schedule schedule, double t, double[] x) {
    double a = schedule.alpha(t);
    GaussianMixture q = at(schedule, t);
    double[] r = q.responsibilities(x);
    double[] out = new double[dim()];
    for (int k = 0; k < components(); k++) {
      double gain = a * stds[k] * stds[k] / (q.stds[k] * q.stds[k]);
      for (int j = 0; j < dim(); j++) {
        out[j] += r[k] * (means[k][j] + gain * (x[j] - a * means[k][j]));
      }
    }
    return out;
  }

  /**
   * Probability-flow velocity dx/dt = α̇ x̂0 + σ̇ ε̂ with ε̂ = (x − α x̂0)/σ, in Java doubles.
   *
   * @param schedule the noising schedule giving α, σ and their time derivatives
   * @param t the time, in (0, tMax] (σ(t) &gt; 0)
   * @param x the point x_t, length {@link #dim()}
   * @return dx/dt at (t, x), length {@link #dim()}
   */
  public double[] velocity(Schedule schedule, double t, double[] x) {
    double a = schedule.alpha(t);
    double s = schedule.sigma(t);
    double[] x0 = posteriorMean(schedule, t, x);
    double[] v = new double[dim()];
    for (int j = 0; j < dim(); j++) {
      double eps = (x[j] - a * x0[j]) / s;
      v[j] = schedule.alphaDot(t) * x0[j] + schedule.sigmaDot(t) * eps;
    }
    return v;
  }

  /**
   * Posterior component probabilities r_k(x) = w_k N(x; μ_k, s_k²) / Σ.
   *
   * @param x a point, length {@link #dim()}
   * @return r_k for each component, length K, summing to 1
   */
  public double[] responsibilities(double[] x) {
    double[] l = logJoint(x);
    double z = logSumExp(l);
    double[] r = new double[l.length];
    for (int k = 0; k < l.length; k++) {
      r[k] = Math.exp(l[k] - z);
    }
    return r;
  }

  /**
   * The mixture's mean Σ w_k μ_k.
   *
   * @return the mean vector, length {@link #dim()}
   */
  public double[] mean() {
    double[] m = new double[dim()];
    for (int k = 0; k < components(); k++) {
      for (int j = 0; j < dim(); j++) {
        m[j] += weights[k] * means[k][j];
      }
    }
    return m;
  }

  /**
   * The mixture's covariance Σ w_k (s_k² I + μ_k μ_kᵀ) − m mᵀ, as a dim × dim matrix.
   *
   * @return the covariance, {@link #dim()} × {@link #dim()}, symmetric
   */
  public double[][] covariance() {
    double[] m = mean();
    double[][] c = new double[dim()][dim()];
    for (int k = 0; k < components(); k++) {
      for (int i = 0; i < dim(); i++) {
        c[i][i] += weights[k] * stds[k] * stds[k];
        for (int j = 0; j < dim(); j++) {
          c[i][j] += weights[k] * means[k][i] * means[k][j];
        }
      }
    }
    for (int i = 0; i < dim(); i++) {
      for (int j = 0; j < dim(); j++) {
        c[i][j] -= m[i] * m[j];
      }
    }
    return c;
  }

  /**
   * n exact samples, row-major n × dim, counter-based: sample i uses {@link CounterNoise} for
   * (seed, first + i, stream 0): component {@code dim} is the uniform that picks the mixture
   * component, components 0..dim−1 the Gaussian.
   *
   * @param seed the noise seed
   * @param first index of the first sample; sample i depends only on (seed, first + i)
   * @param n number of samples
   * @return the samples, row-major n × dim
   */
  public double[] sample(long seed, long first, int n) {
    int d = dim();
    double[] out = new double[n * d];
    for (int i = 0; i < n; i++) {
      long id = first + i;
      double u = CounterNoise.uniform(seed, id, 0, d);
      int k = 0;
      double acc = weights[0];
      while (u > acc && k < components() - 1) {
        k++;
        acc += weights[k];
      }
      for (int j = 0; j < d; j++) {
        out[i * d + j] = means[k][j] + stds[k] * CounterNoise.gaussian(seed, id, 0, j);
      }
    }
    return out;
  }

  private double[] logJoint(double[] x) {
    if (x.length != dim()) {
      throw new IllegalArgumentException("x has dimension " + x.length + ", mixture has " + dim());
    }
    double[] l = new double[components()];
    for (int k = 0; k < components(); k++) {
      double v = stds[k] * stds[k];
      if (!(v > 0)) {
        throw new IllegalStateException("component " + k + " is a point mass: it has no density");
      }
      double sq = 0;
      for (int j = 0; j < dim(); j++) {
        double r = x[j] - means[k][j];
        sq += r * r;
      }
      l[k] = Math.log(weights[k]) - 0.5 * dim() * Math.log(2 * Math.PI * v) - sq / (2 * v);
    }
    return l;
  }

  private static double logSumExp(double[] l) {
    double max = Arrays.stream(l).max().orElseThrow();
    double s = 0;
    for (double v : l) {
      s += Math.exp(v - max);
    }
    return max + Math.log(s);
  }

  // ---------------------------------------------------------------- graph-mode denoiser

  /**
   * The exact posterior-mean denoiser as graph ops. Input x has shape [B, dim] (or [B, …] with
   * dim values per row); α and σ come from the {@link PathPoint} (scalars or per-sample columns
   * [B, 1]). Condition labels (class id per row, float [B]) restrict the mixture to that component;
   * {@link Condition#none()} uses the whole mixture. The schedule is not needed by the formula
   * (the path point carries α and σ) and is kept for the contract's symmetry with the Java methods.
   *
   * @param schedule the noising schedule (unused by the formula, see above)
   * @return the denoiser giving x̂0 and ε̂ for inputs of shape [B, dim] (or [B, …] with dim values per row)
   */
  public ConditionalDenoiser denoiser(Schedule schedule) {
    return this::predict;
  }

  private Prediction predict(Tensor xIn, PathPoint p, Condition c) {
    Backend b = xIn.backend();
    int d = dim();
    int n = components();
    long[] shape = xIn.shape().asArray();
    Tensor x = xIn.reshape(-1, d);
    double[] mu = new double[n * d];
    double[] muT = new double[d * n];
    double[] s2 = new double[n];
    double[] logW = new double[n];
    double[] muSq = new double[n];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < d; j++) {
        mu[k * d + j] = means[k][j];
        muT[j * n + k] = means[k][j];
        muSq[k] += means[k][j] * means[k][j];
      }
      s2[k] = stds[k] * stds[k];
      logW[k] = Math.log(weights[k]);
    }
    Tensor muM = b.constant(mu, n, d);
    Tensor s2Row = b.constant(s2, 1, n);
    // α, σ are scalars while sampling, per-sample columns [B, 1, …] in training: make those [B, 1]
    Tensor a = p.alpha().rank() >= 2 ? p.alpha().reshape(-1, 1) : p.alpha();
    Tensor sig = p.sigma().rank() >= 2 ? p.sigma().reshape(-1, 1) : p.sigma();
    // τ_k² = α² s_k² + σ², shape [1, K] (or [B, K] for per-sample times)
    Tensor tau2 = s2Row.times(a.square()).plus(sig.square());
    // ‖x − α μ_k‖² = ‖x‖² − 2α x·μ_k + α² ‖μ_k‖², shape [B, K]
    Tensor xSq = x.square().sum(1).reshape(-1, 1);
    Tensor cross = x.matmul(b.constant(muT, d, n));
    Tensor dist = xSq.minus(cross.times(a).times(2)).plus(b.constant(muSq, 1, n).times(a.square()));
    Tensor logits =
        b.constant(logW, 1, n).minus(tau2.log().times(0.5 * d)).minus(dist.div(tau2.times(2)));
    if (c.isConditional()) {
      // labels restrict to one component: −∞ (here −1e30) on every other component's logit
      double[] ids = new double[n];
      for (int k = 0; k < n; k++) {
        ids[k] = k;
      }
      Tensor off = c.labels().reshape(-1, 1).minus(b.constant(ids, 1, n)).square();
      logits = logits.minus(off.times(1e30));
    }
    Tensor r = b.wrap(b.tf().nn.softmax(logits.op()));
    // E[x0|x] = Σ r_k (1 − α g_k) μ_k + (Σ r_k g_k) x, with gain g_k = α s_k²/τ_k²
    Tensor gain = s2Row.times(a).div(tau2);
    Tensor x0 = r.times(gain.times(a).rsub(1)).matmul(muM).plus(r.times(gain).sum(1).reshape(-1, 1).times(x));
    x0 = x0.reshape(shape);
    Tensor eps = xIn.minus(x0.times(p.alpha())).div(p.sigma());
    return new Prediction(xIn, p, x0, eps);
  }
}
