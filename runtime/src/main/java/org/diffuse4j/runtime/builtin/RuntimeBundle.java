package org.diffuse4j.runtime.builtin;

import static org.diffuse4j.api.plugin.Kind.NETWORK;

import java.util.List;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.runtime.train.TrainedNetwork;

/**
 * The one plugin the runtime itself provides: the {@code checkpoint} network, which loads a trained
 * run folder (manifest, checkpoint, EMA weights) and so needs the engine; every other network and
 * data set is in the plugins-networks and plugins-data modules.
 */
public final class RuntimeBundle implements PluginBundle {

  @Override
  public List<PluginProvider<?>> providers() {
    return List.of(
        PluginProvider.of(
            new PluginInfo(NETWORK, "checkpoint", "the network of a trained run folder with its weights fixed "
                + "(e.g. autoguidance.weak_model)", "-"),
            CheckpointOptions.class,
            (o, c) -> TrainedNetwork.load(java.nio.file.Path.of(o.run()), o.use_ema(), c, c.path(""))));
  }
}
