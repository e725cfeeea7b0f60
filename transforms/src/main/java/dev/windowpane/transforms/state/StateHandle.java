package dev.windowpane.transforms.state;

import java.util.NoSuchElementException;

/**
 * The state of one key (and window) as a {@link MapWithState.MappingFunction} sees it during one
 * call, with Spark's {@code State} semantics: {@link #update} and {@link #remove} take effect when
 * the call returns; neither is allowed while the key is timing out (its state is dropped anyway),
 * and nothing is allowed after {@link #remove} in the same call.
 */
public interface StateHandle<S> {

  /** Whether the key holds state. */
  boolean exists();

  /**
   * The key's state.
   *
   * @throws NoSuchElementException when the key holds no state ({@link #exists()} is false)
   */
  S get();

  /**
   * Replaces the key's state with {@code newState} (not null) and restarts its idle timeout.
   *
   * @throws IllegalStateException while timing out or after {@link #remove()}
   */
  void update(S newState);

  /**
   * Drops the key's state and its pending timeout; the key's next element starts from no state.
   *
   * @throws IllegalStateException while timing out or after {@link #remove()}
   */
  void remove();

  /** Whether this call is the key's timeout call: no value, and the state is dropped after it. */
  boolean isTimingOut();
}
