package org.diffuse4j.runtime.builtin;

import org.diffuse4j.runtime.data.FashionMnist;
import org.diffuse4j.runtime.unet.UNet;
import org.diffuse4j.runtime.unet.UNetOptions;

import static org.diffuse4j.api.plugin.Kind.DATA;
import static org.diffuse4j.api.plugin.Kind.NETWORK;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.analytic.GaussianMixture;
import org.diffuse4j.runtime.data.NpyData;
import org.diffuse4j.runtime.data.PngFolder;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.runtime.data.Toy2d;
import org.diffuse4j.runtime.model.DataSet;
import org.diffuse4j.runtime.model.NetworkFactory;
import org.diffuse4j.runtime.nn.Mlp;
import org.diffuse4j.runtime.nn.MlpOptions;
import org.diffuse4j.runtime.train.TrainedNetwork;

/** The plugins the runtime itself provides: networks ({@code mlp}, {@code gmm}) and data sets. */
public final class RuntimeBundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    List<PluginProvider<?>> out = new ArrayList<>();
    out.add(PluginProvider.of(
        new PluginInfo(NETWORK, "mlp", "MLP with a sinusoidal time embedding, for low-dimensional data",
            "Ho et al. 2020 (time embedding); Lipman et al. 2023 (toy flow matching)"),
        MlpOptions.class, o -> (NetworkFactory) (backend, dim, seed, weights) -> new Mlp(backend, dim, o, seed, weights)));
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
        UNetOptions.class, o -> (NetworkFactory) (backend, dim, seed, weights) -> UNet.forFlatImages(backend, dim, o, seed, weights)));
    out.add(PluginProvider.of(
        new PluginInfo(NETWORK, "checkpoint", "the network of a trained run folder with its weights fixed "
            + "(e.g. autoguidance.weak_model)", "-"),
        CheckpointOptions.class,
        (o, c) -> TrainedNetwork.load(java.nio.file.Path.of(o.run()), o.use_ema(), c, c.path(""))));
    out.add(PluginProvider.of(
        new PluginInfo(DATA, "fashion-mnist", "Fashion-MNIST training images (28×28, 10 classes) from Debian's dataset-fashion-mnist",
            "Xiao et al. 2017"),
        FashionMnistOptions.class, o -> o.split() == FashionMnistOptions.Split.TEST ? fashionMnist(o.path()).testSplit() : fashionMnist(o.path())));
    out.add(PluginProvider.of(
        new PluginInfo(DATA, "gmm", "samples of a Gaussian mixture (pairs with the gmm network)", "closed form"),
        GmmOptions.class, (o, c) -> LabelledSets.mixture(o.mixture("data"))));
    for (String name : List.of("two-moons", "8-gaussians", "checkerboard", "spirals")) {
      out.add(PluginProvider.of(
          new PluginInfo(DATA, name, "toy 2-D data set '" + name + "', generated in code"
              + (name.equals("8-gaussians") ? " (labels: component 0-7)" : ""), "Grathwohl et al. 2019 (FFJORD) toy sets"),
          ToyOptions.class, o -> name.equals("8-gaussians") ? LabelledSets.eightGaussians(o.scale()) : toy(Toy2d.of(name), o.scale())));
    }
    out.add(PluginProvider.of(
        new PluginInfo(DATA, "npy", "rows of a .npy array (N × D), optional integer labels and paired noise rows (reflow) from more .npy files", "-"),
        NpyOptions.class, o -> NpyData.load(o.path(), o.labels(), o.noise())));
    out.add(PluginProvider.of(
        new PluginInfo(DATA, "png-folder", "a folder of PNG images scaled to [-1, 1]; class subfolders give labels", "-"),
        PngFolderOptions.class, o -> PngFolder.load(o.path()).data()));
    return out;
  }

  private static DataSet toy(Toy2d set, double scale) {
    return new DataSet() {
      @Override
      public int dim() {
        return 2;
      }

      @Override
      public double[] sample(long seed, long first, int n) {
        double[] v = set.sample(seed, first, n);
        return LabelledSets.scaled(v, scale);
      }
    };
  }

  /** Loads Fashion-MNIST, turning a missing package into a configuration error with the fix. */
  private static FashionMnist fashionMnist(String path) {
    try {
      return FashionMnist.load(java.nio.file.Path.of(path));
    } catch (IllegalStateException e) {
      throw new org.diffuse4j.api.plugin.OptionException("data 'fashion-mnist': " + e.getMessage());
    }
  }
}
