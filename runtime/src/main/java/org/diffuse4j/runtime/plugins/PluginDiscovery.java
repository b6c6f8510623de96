package org.diffuse4j.runtime.plugins;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.plugin.PluginRegistry.Entry;

/**
 * Finds plugins: every {@link PluginBundle} (and any Guice {@link Module}) listed under
 * META-INF/services on the classpath or in a jar of the plugins folder ({@code --plugins DIR} or
 * {@value #ENV}). Duplicate names are rejected before Guice runs, naming both sources; then each
 * bundle becomes a Guice module binding its providers into one MapBinder per kind, and the injected
 * maps fill the {@link PluginRegistry} the rest of the runtime uses.
 */
public final class PluginDiscovery {
  /** Environment variable naming the plugins folder when {@code --plugins} is not given. */
  public static final String ENV = "DIFFUSE4J_PLUGINS";

  /**
   * Guice logs a failing module's exception with its stack trace (java.util.logging, INFO) before
   * throwing; the CLI reports it itself, with the trace only under --verbose. Held so the level sticks.
   */
  private static final java.util.logging.Logger GUICE_ERRORS = quiet("com.google.inject.Guice");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  private PluginDiscovery() {}

  /** The folder given on the command line, else the environment's, else none. */
  public static Path pluginsFolder(Path fromCli) {
    if (fromCli != null) {
      return fromCli;
    }
    return fromEnvironment(System.getenv(ENV));
  }

  /** The folder named by the environment variable's value (may be null); one that is not a folder fails naming the variable. */
  static Path fromEnvironment(String env) {
    if (env == null || env.isBlank()) {
      return null;
    }
    Path folder;
    try {
      folder = Path.of(env);
    } catch (java.nio.file.InvalidPathException e) {
      throw new OptionException("$" + ENV + " is '" + env + "', which is not a path: " + e.getReason());
    }
    if (!Files.isDirectory(folder)) {
      throw new OptionException("plugins folder '" + folder + "' (from $" + ENV + ") does not exist or is not a folder; "
          + "fix or unset " + ENV);
    }
    return folder;
  }

  /**
   * One class loader per jar in {@code folder} (sorted by name), each on top of {@code parent}. Jars
   * are isolated from each other, so two jars that ship the same classes still show up as two
   * sources, and their clash is reported instead of one silently shadowing the other. A
   * {@code .jar} that is not a readable jar (a folder, an empty or truncated file, other bytes) is an
   * error naming it.
   */
  public static List<ClassLoader> jarLoaders(Path folder, ClassLoader parent) {
    if (folder == null) {
      return List.of();
    }
    if (!Files.isDirectory(folder)) {
      throw new OptionException("plugins folder '" + folder + "' does not exist or is not a folder");
    }
    List<ClassLoader> loaders = new ArrayList<>();
    List<Path> jars;
    try (Stream<Path> files = Files.list(folder)) {
      jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new OptionException("cannot list plugins folder '" + folder + "': " + reason(e), e);
    }
    for (Path jar : jars) {
      requireReadableJar(jar);
      try {
        loaders.add(new URLClassLoader(jar.getFileName().toString(), new URL[] {jar.toUri().toURL()}, parent));
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    return loaders;
  }

  /** Fails naming {@code jar} unless it is a regular file that opens as a jar. */
  private static void requireReadableJar(Path jar) {
    String fix = "; remove it from the plugins folder or replace it with a plugin jar (see docs/writing-a-plugin.md)";
    if (Files.isDirectory(jar)) {
      throw new OptionException("plugin jar '" + jar + "' is a folder, not a jar" + fix);
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      j.getManifest(); // reads the central directory and the manifest entry
    } catch (IOException | SecurityException e) {
      throw new OptionException("plugin jar '" + jar + "' is not a readable jar (" + reason(e) + ")" + fix, e);
    }
  }

  /** An I/O exception's reason without Java's class names ("zip END header not found", "Permission denied"). */
  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Discovers plugins on the runtime's classpath plus the jars of the given folder (may be null). */
  public static PluginRegistry discover(Path folder) {
    ClassLoader parent = PluginDiscovery.class.getClassLoader();
    List<ClassLoader> jars = jarLoaders(folder, parent);
    List<Source<PluginBundle>> bundles = new ArrayList<>(load(PluginBundle.class, parent, false, "a plugin on the classpath"));
    bundles.sort(Comparator.comparing(b -> b.service().getClass().getName()));
    List<Source<Module>> guiceModules = new ArrayList<>(load(Module.class, parent, false, "a plugin on the classpath"));
    for (ClassLoader jar : jars) {
      String name = "plugin jar '" + folder.resolve(((URLClassLoader) jar).getName()) + "'";
      List<Source<PluginBundle>> own = load(PluginBundle.class, jar, true, name);
      List<Source<Module>> ownModules = load(Module.class, jar, true, name);
      if (own.isEmpty() && ownModules.isEmpty()) {
        throw new OptionException(name + " provides no plugin: it needs a file "
            + "META-INF/services/" + PluginBundle.class.getName() + " (or " + Module.class.getName()
            + ") naming its bundle class" + servicesFound(jar));
      }
      bundles.addAll(own);
      guiceModules.addAll(ownModules);
    }
    return wire(bundles, guiceModules);
  }

  /** A service and the jar (or "the classpath") it came from. */
  private record Source<S>(S service, String origin) {}

  /** The META-INF/services files a jar does have, to spot a misnamed one. */
  private static String servicesFound(ClassLoader jar) {
    try (JarFile j = new JarFile(Path.of(((URLClassLoader) jar).getURLs()[0].toURI()).toFile())) {
      List<String> names = j.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("META-INF/services/") && n.length() > "META-INF/services/".length()).toList();
      return names.isEmpty() ? "; it has none" : "; it has " + String.join(", ", names);
    } catch (IOException | java.net.URISyntaxException e) {
      return "";
    }
  }

  /**
   * Services visible to {@code loader}; with {@code ownOnly}, only those defined by that loader itself.
   * A provider that cannot be found, is not a {@code service}, or whose constructor throws fails
   * naming {@code origin}, the provider class and the root cause.
   */
  private static <S> List<Source<S>> load(Class<S> service, ClassLoader loader, boolean ownOnly, String origin) {
    List<Source<S>> out = new ArrayList<>();
    var it = ServiceLoader.load(service, loader).stream().iterator();
    while (true) {
      ServiceLoader.Provider<S> p;
      try {
        if (!it.hasNext()) {
          return out;
        }
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        throw new OptionException(origin + ": META-INF/services/" + service.getName()
            + " names a class that cannot be used: " + PluginRegistry.rootCause(e) + serviceHint(e), e);
      }
      Class<? extends S> type;
      try {
        type = p.type();
      } catch (ServiceConfigurationError | LinkageError e) {
        throw new OptionException(origin + ": cannot load a class named in META-INF/services/"
            + service.getName() + ": " + PluginRegistry.rootCause(e), e);
      }
      if (ownOnly && type.getClassLoader() != loader) {
        continue;
      }
      try {
        out.add(new Source<>(p.get(), origin));
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        throw new OptionException(origin + ": " + type.getName() + " could not be created: "
            + PluginRegistry.rootCause(e), e);
      }
    }
  }

  private static String serviceHint(Throwable e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("not found")) {
      return " (is the class name in the services file spelt right, and is the class in the jar?)";
    }
    if (m.contains("not a subtype")) {
      return " (the class must implement that interface)";
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NoSuchMethodException) {
        return " (it needs a public constructor without arguments)";
      }
    }
    return "";
  }

  private static PluginRegistry wire(List<Source<PluginBundle>> bundles, List<Source<Module>> guiceModules) {

    // 1. duplicates, with both sources named, before Guice sees anything
    PluginRegistry check = new PluginRegistry();
    List<Module> modules = new ArrayList<>();
    modules.add(new AbstractModule() {
      @Override
      protected void configure() {
        for (Kind k : Kind.values()) {
          BundleModule.binder(binder(), k); // every kind's map exists even when empty
        }
      }
    });
    for (Source<PluginBundle> sb : bundles) {
      PluginBundle b = sb.service();
      String source = PluginRegistry.sourceOf(b.getClass());
      List<PluginProvider<?>> providers;
      try {
        List<PluginProvider<?>> listed = b.providers();
        if (listed == null) {
          throw new IllegalStateException("it returned null instead of a list");
        }
        providers = List.copyOf(listed);
        for (PluginProvider<?> p : providers) {
          p.info(); // a provider whose metadata cannot be built (e.g. an invalid name) fails here
        }
      } catch (RuntimeException | LinkageError e) {
        throw new OptionException(sb.origin() + ": " + b.getClass().getName()
            + ".providers() failed: " + PluginRegistry.rootCause(e), e);
      }
      for (PluginProvider<?> p : providers) {
        check.add(p, source);
      }
      modules.add(new BundleModule(providers, source));
    }
    // 2. plugins that ship their own Guice module
    guiceModules.forEach(m -> modules.add(m.service()));

    // 3. Guice builds the per-kind maps
    Injector injector;
    try {
      injector = Guice.createInjector(Stage.PRODUCTION, modules);
    } catch (CreationException e) {
      var first = e.getErrorMessages().iterator().next();
      String culprit = "";
      for (Source<Module> m : guiceModules) {
        if (first.getCause() != null && mentions(first.getCause(), m.service().getClass())) {
          culprit = " in " + m.origin() + " (" + m.service().getClass().getName() + ")";
        }
      }
      String cause = first.getCause() != null ? PluginRegistry.rootCause(first.getCause()) : first.getMessage();
      throw new OptionException("plugin wiring failed" + culprit + ": " + cause, e);
    }
    PluginRegistry registry = new PluginRegistry();
    for (Kind k : Kind.values()) {
      Map<String, Entry> map = injector.getInstance(Key.get(new TypeLiteral<Map<String, Entry>>() {}, Names.named(k.id())));
      map.values().forEach(e -> registry.add(e.provider(), e.source()));
    }
    return registry;
  }

  /** Whether {@code c} appears in the stack trace of {@code e} or of one of its causes. */
  private static boolean mentions(Throwable e, Class<?> c) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (StackTraceElement f : t.getStackTrace()) {
        if (f.getClassName().equals(c.getName())) {
          return true;
        }
      }
    }
    return false;
  }
}
