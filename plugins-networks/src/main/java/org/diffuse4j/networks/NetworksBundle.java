package org.diffuse4j.networks;

import static org.diffuse4j.api.plugin.Kind.NETWORK;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.api.analytic.GmmOptions;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.networks.unet.UNet;
import org.diffuse4j.networks.unet.UNetOptions;

/** The network plugins: {@code mlp}, {@code unet} and the analytic {@code gmm} denoiser. */
public final class NetworksBundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    List<PluginProvider<?>> out = new ArrayList<>();
    out.add(PluginProvider.of(
        new PluginInfo(NETWORK, "mlp", "MLP with a sinusoidal time embedding, for low-dimensional data",
            "Ho et al. 2020 (time embedding); Lipman et al. 2023 (toy flow matching)"),
        MlpOptions.class, o -> NetworkFactory.withGuidanceScale(o.guidance_input(), NetworkFactory.withTimes(o.times(),
            (backend, dim, seed, weights) -> new Mlp(backend, dim, o, seed, weights)))));
    out.add(PluginProvider.of(
        new PluginInfo(NETWORK, "gmm", "exact posterior-mean denoiser of a Gaussian mixture (nothing to train)",
            "closed form; seed 003 eq. 9"),
        GmmOptions.class, (o, c) -> {
          GaussianMixture m = o.mixture("network");
          return (NetworkFactory) (backend, dim, seed, weights) -> new AnalyticModel(m);
        }));
    out.add(PluginProvider.of(
        new PluginInfo(NETWORK, "unet", "U-Net for square images: residual blocks, GroupNorm, attention, class embedding",
            "Ho et al. 2020; Dhariwal & Nichol 2021 (ADM)"),
        UNetOptions.class, o -> NetworkFactory.withGuidanceScale(o.guidance_input(), NetworkFactory.withTimes(o.times(),
            (backend, dim, seed, weights) -> UNet.forFlatImages(backend, dim, o, seed, weights)))));
    return out;
  }
}
