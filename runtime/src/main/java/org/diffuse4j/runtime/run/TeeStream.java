package org.diffuse4j.runtime.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A PrintStream that writes to another stream and to a log file (run.log); closing it closes only the file. */
public final class TeeStream extends PrintStream {
  /** Copies everything printed to {@code out} into {@code file} (appending if asked). */
  public TeeStream(PrintStream out, Path file, boolean append) throws IOException {
    super(new Both(out, new FileOutputStream(file.toFile(), append)), true, StandardCharsets.UTF_8);
  }

  private static final class Both extends OutputStream {
    private final PrintStream out;
    private final OutputStream file;

    Both(PrintStream out, OutputStream file) {
      this.out = out;
      this.file = file;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      file.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      file.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
      file.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
      file.close();
    }
  }
}
