package dev.windowpane.pipelines.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a user types for an option whose Beam property has another name. Beam refuses two
 * declarations of one property with different defaults in one JVM, and Beam's Spark runner declares
 * {@code checkpointDir} with a default of its own; windowpane's {@code --checkpointDir} (the same
 * getOrCreate meaning) is therefore the property {@code checkpointDirectory}, typed and listed by
 * {@link CommandLine} under this name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OptionName {
  String value();
}
