package org.diffuse4j.runtime.testplugins;

import com.google.inject.AbstractModule;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.NoOptions;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.plugins.BundleModule;

/** A plugin that wires itself with Guice (listed in META-INF/services/com.google.inject.Module). */
public final class TestGuiceModule extends AbstractModule {
  @Override
  protected void configure() {
    PluginProvider<NoOptions> p = PluginProvider.of(
        new PluginInfo(Kind.SOLVER, "test-guice-euler", "Euler bound through a Guice module", "test"),
        NoOptions.class, o -> new TestBundle.Euler());
    BundleModule.binder(binder(), Kind.SOLVER).addBinding("test-guice-euler").toInstance(new PluginRegistry.Entry(p, "TestGuiceModule"));
  }
}
