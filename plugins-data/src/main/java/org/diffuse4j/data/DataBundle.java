package org.diffuse4j.data;

import static org.diffuse4j.api.plugin.Kind.DATA;

import java.util.ArrayList;
import java.util.List;
import org.diffuse4j.api.analytic.GmmOptions;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;

/** The data plugins: the toy 2-D sets, {@code gmm} samples, {@code npy} arrays, {@code png-folder} images and Fashion-MNIST. */
public final class DataBundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    List<PluginProvider<?>> out = new ArrayList<>();
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
