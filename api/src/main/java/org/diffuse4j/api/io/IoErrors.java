package org.diffuse4j.api.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The reason of an I/O failure in words ("no space left on device", "permission denied"), from
 * java.nio's exceptions, plain IOExceptions and TensorFlow's file errors, without Java class names
 * or TensorFlow's out-of-memory hints.
 */
public final class IoErrors {
  private IoErrors() {}

  /** The operating system's reasons worth recognising inside any message, in words. */
  private static final String[][] KNOWN = {
      {"no space left on device", "no space left on device"},
      {"enospc", "no space left on device"},
      {"disk quota exceeded", "disk quota exceeded"},
      {"file too large", "file too large"},
      {"read-only file system", "read-only file system"},
      {"permission denied", "permission denied"},
      {"is a directory", "is a folder"},
      {"not a directory", "not a folder"},
      {"input/output error", "input/output error (a failing disk?)"},
  };

  /**
   * The innermost reason of {@code e} in words.
   *
   * @param e the failure, searched down its cause chain
   * @return the reason in a few words, such as "no space left on device"; never null
   */
  public static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String known = known(t.getMessage());
      if (known != null) {
        return known;
      }
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) { // from creating a folder where a file is
      return f.getFile() + " exists and is not a folder";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "the folder is not empty";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return lowerFirst(f.getReason());
    }
    if (e.getCause() != null && e.getCause() != e && e.getMessage() != null && e.getMessage().startsWith(e.getCause().getClass().getName())) {
      return reason(e.getCause()); // a wrapper that only repeats its cause
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return lowerFirst(m.lines().findFirst().orElse(m));
  }

  private static String known(String message) {
    if (message == null) {
      return null;
    }
    String m = message.toLowerCase(Locale.ROOT);
    for (String[] k : KNOWN) {
      if (m.contains(k[0])) {
        return k[1];
      }
    }
    return null;
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1)) ? s
        : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
