package dev.windowpane.bench.beam;

import dev.windowpane.bench.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Beam coder of {@link Event}: key (UTF-8), value and event time as variable-length longs. */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();
  private static final StringUtf8Coder KEY = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private EventCoder() {}

  public static EventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Event e, OutputStream out) throws IOException {
    KEY.encode(e.key(), out);
    LONG.encode(e.value(), out);
    LONG.encode(e.timestampMillis(), out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    return new Event(KEY.decode(in), LONG.decode(in), LONG.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
