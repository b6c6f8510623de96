package org.diffuse4j.runtime.plugins;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;
import java.util.List;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry.Entry;

/**
 * Guice wiring of one {@link PluginBundle}: each provider goes into the {@code MapBinder} of its
 * kind ({@code @Named(kind)} {@code Map<String, Entry>}), keyed by plugin name. Third-party jars that
 * prefer Guice can bind into the same maps with {@link #binder(com.google.inject.Binder, Kind)}.
 */
public final class BundleModule extends AbstractModule {
  private final List<PluginProvider<?>> providers;
  private final String source;

  /** A module for {@code bundle}, which was loaded from {@code source}. */
  public BundleModule(PluginBundle bundle, String source) {
    this(bundle.providers(), source);
  }

  /** A module for providers already taken from a bundle loaded from {@code source}. */
  public BundleModule(List<PluginProvider<?>> providers, String source) {
    this.providers = List.copyOf(providers);
    this.source = source;
  }

  /** The map binder of one kind; every module binding plugins uses this. */
  public static MapBinder<String, Entry> binder(com.google.inject.Binder binder, Kind kind) {
    return MapBinder.newMapBinder(binder, String.class, Entry.class, Names.named(kind.id()));
  }

  @Override
  protected void configure() {
    for (PluginProvider<?> p : providers) {
      binder(binder(), p.info().kind()).addBinding(p.info().name()).toInstance(new Entry(p, source));
    }
  }
}
