package org.diffuse4j.runtime.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads TensorBoard event files in pure Java: TFRecord framing (uint64 length, masked CRC32C of the
 * length, the data, masked CRC32C of the data; little endian) checked record by record, each record
 * an {@code Event} proto. Independent of the writer (TensorFlow's C++ EventsWriter): written from the
 * TFRecord format description. The viewer reads training curves with it; tests check the files.
 */
public final class EventFiles {
  private EventFiles() {}

  /** The masked CRC32C TFRecord uses: rotate right by 15 and add 0xa282ead8. */
  public static int maskedCrc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  /** Every event of the file; fails naming the record whose length or data CRC is wrong. */
  public static List<Event> read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    int pos = 0;
    while (pos < all.length) {
      if (all.length - pos < 12) {
        throw new IOException(file + ": truncated header at byte " + pos);
      }
      // (a file being written may end in a partial record: readComplete() stops there instead)
      long length = b.getLong(pos);
      int lengthCrc = b.getInt(pos + 8);
      if (lengthCrc != maskedCrc(all, pos, 8)) {
        throw new IOException(file + ": bad length CRC in record " + events.size());
      }
      int start = pos + 12;
      if (length < 0 || start + length + 4 > all.length) {
        throw new IOException(file + ": truncated record " + events.size());
      }
      int dataCrc = b.getInt(start + (int) length);
      if (dataCrc != maskedCrc(all, start, (int) length)) {
        throw new IOException(file + ": bad data CRC in record " + events.size());
      }
      events.add(Event.parseFrom(Arrays.copyOfRange(all, start, start + (int) length)));
      pos = start + (int) length + 4;
    }
    return events;
  }

  /**
   * The events of the file up to its first incomplete or damaged record: what a reader can show
   * while TensorFlow is still appending to it.
   */
  public static List<Event> readComplete(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    int pos = 0;
    while (all.length - pos >= 12) {
      long length = b.getLong(pos);
      int start = pos + 12;
      if (b.getInt(pos + 8) != maskedCrc(all, pos, 8) || length < 0 || start + length + 4 > all.length
          || b.getInt(start + (int) length) != maskedCrc(all, start, (int) length)) {
        break;
      }
      events.add(Event.parseFrom(Arrays.copyOfRange(all, start, start + (int) length)));
      pos = start + (int) length + 4;
    }
    return events;
  }

  /** The events of every event file in {@code dir}, in file name order. */
  public static List<Event> readAll(Path dir) throws IOException {
    List<Event> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList()) {
        out.addAll(read(f));
      }
    }
    return out;
  }
}
