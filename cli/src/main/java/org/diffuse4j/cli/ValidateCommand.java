package org.diffuse4j.cli;

import java.util.concurrent.Callable;
import org.diffuse4j.runtime.manifest.Manifest;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code validate MANIFEST}: check everything, print the resolved manifest, run nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a manifest (keys, types, ranges, plugins) and print it resolved.")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Mixin ManifestOptions manifest = new ManifestOptions();

  @Override
  public Integer call() {
    Manifest m = manifest.load(main.registry());
    main.out.print(ManifestLoader.toYaml(m.resolved()));
    main.out.println("# manifest is valid");
    return 0;
  }
}
