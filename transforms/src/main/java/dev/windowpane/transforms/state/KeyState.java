package dev.windowpane.transforms.state;

import java.util.NoSuchElementException;
import org.apache.beam.sdk.state.ValueState;

/**
 * The {@link StateHandle} of one call: reads the stored state at most once, records what the
 * function asked for, and leaves writing it back to the caller ({@link #updated()}, {@link
 * #removed()}).
 */
final class KeyState<S> implements StateHandle<S> {
  private final ValueState<S> stored;
  private final boolean timingOut;
  private boolean read;
  private S current;
  private boolean updated;
  private boolean removed;

  KeyState(ValueState<S> stored, boolean timingOut) {
    this.stored = stored;
    this.timingOut = timingOut;
  }

  @Override
  public boolean exists() {
    return current() != null;
  }

  @Override
  public S get() {
    S state = current();
    if (state == null) {
      throw new NoSuchElementException(
          removed
              ? "The state was removed in this call; check exists() before get()."
              : "The key holds no state; check exists() before get().");
    }
    return state;
  }

  @Override
  public void update(S newState) {
    if (timingOut) {
      throw new IllegalStateException(
          "Cannot update the state of a key that is timing out; its state is dropped after this"
              + " call.");
    }
    if (removed) {
      throw new IllegalStateException("Cannot update a state that was removed in the same call.");
    }
    if (newState == null) {
      throw new IllegalArgumentException(
          "The new state must not be null; use remove() to drop it.");
    }
    read = true;
    current = newState;
    updated = true;
  }

  @Override
  public void remove() {
    if (timingOut) {
      throw new IllegalStateException(
          "Cannot remove the state of a key that is timing out; it is dropped after this call"
              + " anyway.");
    }
    if (removed) {
      throw new IllegalStateException("The state was already removed in this call.");
    }
    read = true;
    current = null;
    updated = false;
    removed = true;
  }

  @Override
  public boolean isTimingOut() {
    return timingOut;
  }

  boolean updated() {
    return updated;
  }

  boolean removed() {
    return removed;
  }

  private S current() {
    if (!read) {
      current = stored.read();
      read = true;
    }
    return current;
  }
}
