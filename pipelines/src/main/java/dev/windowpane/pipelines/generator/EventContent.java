package dev.windowpane.pipelines.generator;

import java.io.Serializable;
import org.joda.time.Instant;

/** What the generator's event {@code index} is, as a pure function of (seed, index, event time). */
@FunctionalInterface
public interface EventContent<T> extends Serializable {
  T event(long seed, long index, Instant eventTime);
}
