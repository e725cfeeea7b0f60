package dev.windowpane.pipelines.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole numbers a numeric option (an {@code Integer} or {@code Long} getter of an options
 * interface) accepts, checked by {@link CommandLine} before Beam reads the value, so that a value
 * out of range is one sentence that states the range.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Range {
  long min() default Long.MIN_VALUE;

  long max() default Long.MAX_VALUE;
}
