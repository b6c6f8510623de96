package org.diffuse4j.cli;

import java.util.concurrent.Callable;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.KnownNames;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code describe KIND NAME}: a plugin's description, reference and options. */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a plugin's options (type, default, range, doc).")
final class DescribeCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "KIND", description = "schedule, grid, parameterisation, objective, solver, guidance, network or data")
  String kind;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() {
    Kind k = Kind.of(kind);
    var alias = main.registry().resolveAlias(k, java.util.Map.entry(name, java.util.Map.of()));
    if (!alias.getKey().equals(name)) {
      var a = KnownNames.find(k, name);
      main.out.printf("%s '%s' is %s's name for: %s %s%s%s%n", k.id(), name, a.library(), alias.getKey(), alias.getValue(),
          a.grid() == null ? "" : " on grid " + a.grid(), a.note().isEmpty() ? "" : " (" + a.note() + ")");
      name = alias.getKey();
    }
    PluginProvider<?> p = main.registry().provider(k, name, "");
    PluginInfo i = p.info();
    main.out.printf("%s %s: %s%n", k.id(), i.name(), i.description());
    main.out.printf("reference: %s%n", i.reference());
    main.out.printf("source: %s%n", main.registry().entries(k).get(name).source());
    for (var a : KnownNames.of(k, name)) {
      main.out.printf("same as: %s %s%s%s%n", a.qualified(), a.options(), a.grid() == null ? "" : " + grid " + a.grid(),
          a.note().isEmpty() ? "" : " (" + a.note() + ")");
    }
    var specs = Options.describe(p.optionsType());
    if (specs.isEmpty()) {
      main.out.println("options: none");
      return 0;
    }
    main.out.println("options:");
    for (Options.Spec s : specs) {
      String range = s.min() == Double.NEGATIVE_INFINITY && s.max() == Double.POSITIVE_INFINITY
          ? "" : ", range [" + fmt(s.min()) + ", " + fmt(s.max()) + "]";
      main.out.printf("  %-16s %s, default %s%s%n      %s%n", s.name(), s.type(),
          s.required() ? "(required)" : s.defaultValue(), range, s.doc());
    }
    return 0;
  }

  private static String fmt(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
