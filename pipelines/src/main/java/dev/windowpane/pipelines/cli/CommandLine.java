package dev.windowpane.pipelines.cli;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.time.Durations;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads a command's {@code --name=value} arguments into its options interface, the way Beam does
 * ({@link PipelineOptionsFactory#fromArgs}), after checking them so that every mistake is one
 * sentence: an unknown option (with the closest name), an option given twice, a value written after
 * a space instead of {@code =}, a missing value, a number that is not a whole number or not in its
 * {@link Range}. Beam's own options ({@code --runner}, ...) pass through to Beam. Also writes a
 * command's help, and reads duration and instant values for the commands' own validation.
 */
public final class CommandLine {
  private static final String OWN_PACKAGE = "dev.windowpane.";
  private static final int HELP_WIDTH = 100;
  private static final String INDENT = "      ";
  /** Joins "Default:" to its value, so that a line never ends between them. */
  private static final String NO_BREAK = "\u00a0";

  /** The runners' options in milliseconds, which may also be written as durations. */
  private static final Set<String> MILLISECOND_OPTIONS =
      Set.of(
          "checkpointingInterval", "checkpointTimeoutMillis", "minPauseBetweenCheckpoints",
          "executionRetryDelay", "shutdownSourcesAfterIdleMs", "maxBundleTimeMills");

  /** The runners that only one of the two bundled jars carries, and the jar that does. */
  private static final Map<String, String> RUNNER_JARS =
      Map.of(
          "FlinkRunner", "pipelines/target/windowpane-pipelines.jar",
          "PortableRunner", "pipelines/target/windowpane-pipelines.jar",
          "SparkRunner", "spark/target/windowpane-spark.jar");

  private static final Map<String, String> RUNNER_CLASSES =
      Map.of(
          "FlinkRunner", "org.apache.beam.runners.flink.FlinkRunner",
          "PortableRunner", "org.apache.beam.runners.portability.PortableRunner",
          "SparkRunner", "org.apache.beam.runners.spark.SparkRunner");

  private CommandLine() {}

  /** The file name of the jar the command runs from ({@code windowpane-pipelines.jar} outside a jar). */
  public static String jarName() {
    try {
      String path = CommandLine.class.getProtectionDomain().getCodeSource().getLocation().getPath();
      String name = path.substring(path.lastIndexOf('/') + 1);
      return name.endsWith(".jar") && name.startsWith("windowpane-") && !name.contains("SNAPSHOT")
          ? name
          : "windowpane-pipelines.jar";
    } catch (RuntimeException e) {
      return "windowpane-pipelines.jar";
    }
  }

  private static boolean classPresent(String name) {
    try {
      Class.forName(name, false, CommandLine.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Options read from a command line, and the names of the options it gave explicitly. */
  public static final class Parsed<O extends PipelineOptions> {
    private final O options;
    private final Set<String> given;

    Parsed(O options, Set<String> given) {
      this.options = options;
      this.given = Collections.unmodifiableSet(given);
    }

    public O options() {
      return options;
    }

    /** The options named on the command line (not those left at their defaults). */
    public Set<String> given() {
      return given;
    }
  }

  /**
   * Reads {@code args} of command {@code command} into {@code optionsClass}; a bad command line is a
   * {@link UsageException} of one sentence.
   */
  public static <O extends PipelineOptions> Parsed<O> parse(
      String command, Class<O> optionsClass, List<String> args) {
    Map<String, Method> own = ownOptions(optionsClass);
    Map<String, Class<?>> beam = beamOptions();
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2 || arg.startsWith("--=")) {
        String previous = i > 0 ? args.get(i - 1) : "";
        if (previous.startsWith("--") && !previous.contains("=")) {
          throw new UsageException(
              "Option " + previous + " takes its value after '=': write " + previous + "=" + arg + ".");
        }
        throw new UsageException(
            "Unexpected argument '" + arg + "': options are written --name=value ('" + command
                + " --help' lists them).");
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      String value = equals < 0 ? null : arg.substring(equals + 1);
      Method getter = own.get(name);
      Class<?> type = getter != null ? getter.getReturnType() : beam.get(name);
      if (type == null) {
        throw unknownOption(command, name, own.keySet(), beam.keySet());
      }
      boolean repeatable = Collection.class.isAssignableFrom(type) || type.isArray();
      if (!repeatable && given.containsKey(name)) {
        throw new UsageException(
            "Option --" + name + " is given twice (" + given.get(name) + " and " + arg + "); give it once.");
      }
      given.put(name, arg);
      if (getter != null) {
        checkValue(name, value, getter, i + 1 < args.size() ? args.get(i + 1) : null);
      } else if (!MILLISECOND_OPTIONS.contains(name)) {
        checkBeamValue(name, value, type);
      }
    }
    for (Map.Entry<String, Method> option : own.entrySet()) {
      if (option.getValue().isAnnotationPresent(Validation.Required.class) && !given.containsKey(option.getKey())) {
        Description text = option.getValue().getAnnotation(Description.class);
        String what = text == null ? "" : text.value();
        throw new UsageException(
            "Option --" + option.getKey() + " is required"
                + (what.isEmpty() ? "." : ": " + Character.toLowerCase(what.charAt(0)) + what.substring(1)));
      }
    }
    String runner = given.containsKey("runner") ? given.get("runner").substring("--runner=".length()) : "";
    String runnerJar = RUNNER_JARS.get(runner);
    if (runnerJar != null && !classPresent(RUNNER_CLASSES.get(runner))) {
      throw new UsageException(
          "The " + runner + " is not in this jar but in " + runnerJar + " ('make package' builds both):"
              + " run java -jar " + runnerJar + " " + command + " ... --runner=" + runner + ".");
    }
    String runnerName = runner.isEmpty() ? "DirectRunner" : runner.substring(runner.lastIndexOf('.') + 1);
    for (String name : given.keySet()) {
      String owner = own.containsKey(name) ? null : runnerOwning(name);
      if (owner != null
          && !sameRunner(runnerName, owner)
          && !(owner.equals("FlinkRunner") && sameRunner(runnerName, "PortableRunner"))) {
        throw new UsageException(
            "Option --" + name + " is the " + owner + "'s and does nothing on the " + runnerName
                + "; add --runner=" + owner + ".");
      }
    }
    try {
      O options =
          PipelineOptionsFactory.fromArgs(inMillis(beamNames(args, own)).toArray(new String[0]))
              .withValidation()
              .as(optionsClass);
      return new Parsed<>(options, new LinkedHashSet<>(given.keySet()));
    } catch (IllegalArgumentException e) {
      // Beam's own checks of its own options (an unknown --runner, a missing required option, ...).
      throw new UsageException(sentence(e.getMessage()), e);
    }
  }

  /** {@code args} with each option that has an {@link OptionName} under its Beam property's name. */
  private static List<String> beamNames(List<String> args, Map<String, Method> own) {
    List<String> renamed = new ArrayList<>(args.size());
    for (String arg : args) {
      int equals = arg.indexOf('=');
      Method getter = own.get(equals < 0 ? arg.substring(2) : arg.substring(2, equals));
      renamed.add(
          getter != null && getter.isAnnotationPresent(OptionName.class)
              ? "--" + beanName(getter) + (equals < 0 ? "" : arg.substring(equals))
              : arg);
    }
    return renamed;
  }

  /**
   * {@code args} with the values of the runners' millisecond options that are written as
   * durations ({@code --checkpointingInterval=30s}) turned into milliseconds.
   */
  private static List<String> inMillis(List<String> args) {
    List<String> converted = new ArrayList<>(args.size());
    for (String arg : args) {
      int equals = arg.indexOf('=');
      String name = equals < 0 ? "" : arg.substring(2, equals);
      String value = equals < 0 ? "" : arg.substring(equals + 1);
      if (MILLISECOND_OPTIONS.contains(name) && !value.matches("-?[0-9]+")) {
        converted.add("--" + name + "=" + duration(name, value).getMillis());
      } else {
        converted.add(arg);
      }
    }
    return converted;
  }

  private static void checkValue(String name, String value, Method getter, String next) {
    Class<?> type = getter.getReturnType();
    if (type == Boolean.class || type == boolean.class) {
      if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new UsageException("Option --" + name + " is true or false, got '" + value + "'.");
      }
      return;
    }
    if (value == null || value.isEmpty()) {
      if (value == null && next != null && !next.startsWith("--")) {
        throw new UsageException(
            "Option --" + name + " takes its value after '=': write --" + name + "=" + next + ".");
      }
      throw new UsageException("Option --" + name + " needs a value: write --" + name + "=VALUE.");
    }
    if (type == Integer.class || type == Long.class) {
      Range range = getter.getAnnotation(Range.class);
      long min = range != null ? range.min() : type == Integer.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
      long max = range != null ? range.max() : type == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
      if (type == Integer.class) {
        min = Math.max(min, Integer.MIN_VALUE);
        max = Math.min(max, Integer.MAX_VALUE);
      }
      if (!isWholeNumberIn(value, min, max)) {
        throw new UsageException(
            "Option --" + name + " must be a whole number" + rangeText(min, max) + ", got " + value + ".");
      }
    }
  }

  /** A value of Beam's own options that Beam would refuse without naming the option. */
  private static void checkBeamValue(String name, String value, Class<?> type) {
    boolean isInt = type == int.class || type == Integer.class;
    boolean isLong = type == long.class || type == Long.class;
    if ((isInt || isLong) && value != null) {
      long min = isInt ? Integer.MIN_VALUE : Long.MIN_VALUE;
      long max = isInt ? Integer.MAX_VALUE : Long.MAX_VALUE;
      if (!isWholeNumberIn(value, min, max)) {
        throw new UsageException("Option --" + name + " must be a whole number, got " + value + ".");
      }
    }
    if ((type == boolean.class || type == Boolean.class)
        && value != null
        && !value.equalsIgnoreCase("true")
        && !value.equalsIgnoreCase("false")) {
      throw new UsageException("Option --" + name + " is true or false, got '" + value + "'.");
    }
  }

  private static boolean isWholeNumberIn(String value, long min, long max) {
    if (!value.matches("[+-]?[0-9]+")) {
      return false;
    }
    BigInteger number = new BigInteger(value);
    return number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0;
  }

  private static String rangeText(long min, long max) {
    boolean hasMin = min != Long.MIN_VALUE && min != Integer.MIN_VALUE;
    boolean hasMax = max != Long.MAX_VALUE && max != Integer.MAX_VALUE;
    if (hasMin && hasMax) {
      return " from " + min + " to " + max;
    }
    if (hasMin) {
      return " of at least " + min;
    }
    return hasMax ? " of at most " + max : "";
  }

  private static UsageException unknownOption(
      String command, String name, Set<String> own, Set<String> beam) {
    String closest = closest(name, own);
    if (closest == null) {
      closest = closest(name, beam);
    }
    return new UsageException(
        "Unknown option --" + name + " for " + command
            + (closest == null ? "" : " (did you mean --" + closest + "?)")
            + "; '" + command + " --help' lists the options.");
  }

  private static String closest(String name, Set<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : candidates) {
      int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** The help of one command: its own options first, then each shared group, each sorted by name. */
  public static String help(String command, String description, Class<? extends PipelineOptions> optionsClass) {
    StringBuilder help = new StringBuilder();
    help.append("Usage: java -jar ").append(jarName()).append(' ')
        .append(command)
        .append(" [--option=value ...]\n\n")
        .append(description)
        .append('\n');
    for (Class<?> group : ownInterfaces(optionsClass)) {
      Map<String, Method> options = declaredOptions(group);
      if (options.isEmpty()) {
        continue;
      }
      Description title = group.getAnnotation(Description.class);
      help.append('\n').append(title == null ? "Options" : title.value()).append(":\n");
      for (Map.Entry<String, Method> option : options.entrySet()) {
        Method getter = option.getValue();
        help.append("  --").append(option.getKey()).append('\n');
        Description text = getter.getAnnotation(Description.class);
        String defaultValue = defaultValue(getter);
        wrap(
            (text == null ? "" : text.value())
                + (getter.isAnnotationPresent(Validation.Required.class) ? " Required." : "")
                + (defaultValue == null ? "" : " Default:" + NO_BREAK + defaultValue + "."),
            help);
      }
    }
    help.append(
        "\nDurations are written like 500ms, 90s, 1m, 1h, 1d or 1h30m. Beam's own options"
            + " (--runner, --targetParallelism, ...) pass through.\n");
    return help.toString();
  }

  /** {@code text} in lines of at most {@value #HELP_WIDTH} characters, indented by six spaces. */
  private static void wrap(String text, StringBuilder help) {
    StringBuilder line = new StringBuilder(INDENT);
    for (String word : text.split(" ")) {
      if (line.length() > INDENT.length() && line.length() + 1 + word.length() > HELP_WIDTH) {
        help.append(line).append('\n');
        line.setLength(0);
        line.append(INDENT);
      } else if (line.length() > INDENT.length()) {
        line.append(' ');
      }
      line.append(word.replace(NO_BREAK, " "));
    }
    help.append(line).append('\n');
  }

  /** The options declared in {@code group} itself (not in the interfaces it extends), by name. */
  public static Set<String> declaredOptionNames(Class<?> group) {
    return declaredOptions(group).keySet();
  }

  /** {@code value} of option {@code option} as a duration; a bad one is a {@link UsageException}. */
  public static Duration duration(String option, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage();
      throw new UsageException(
          "Option --" + option + ": " + Character.toLowerCase(reason.charAt(0)) + reason.substring(1), e);
    }
  }

  /** {@code value} of option {@code option} as a duration longer than 0. */
  public static Duration positiveDuration(String option, String value) {
    Duration duration = duration(option, value);
    if (duration.getMillis() <= 0) {
      throw new UsageException("Option --" + option + " must be longer than 0, got " + value + ".");
    }
    return duration;
  }

  /** {@code value} of option {@code option} as an instant, written like the input lines' timestamps. */
  public static Instant instant(String option, String value) {
    try {
      return EventTimestamps.parse(TextNode.valueOf(value));
    } catch (InvalidEventException e) {
      throw new UsageException(
          "Option --" + option + " must be an ISO-8601 instant like 2025-01-01T00:00:00Z, got '"
              + value + "'.",
          e);
    }
  }

  /** The first line of {@code message}, ending with a full stop. */
  static String sentence(String message) {
    if (message == null || message.isBlank()) {
      return "Invalid command line.";
    }
    String line = message.strip().lines().findFirst().orElse("").strip();
    return line.endsWith(".") ? line : line + ".";
  }

  /** windowpane's own options of {@code optionsClass}, by name. */
  private static Map<String, Method> ownOptions(Class<?> optionsClass) {
    Map<String, Method> options = new LinkedHashMap<>();
    for (Class<?> group : ownInterfaces(optionsClass)) {
      declaredOptions(group).forEach(options::putIfAbsent);
    }
    return options;
  }

  /** Whether {@code given} names {@code runner} as Beam reads it ("FlinkRunner", "flinkrunner", "flink"). */
  private static boolean sameRunner(String given, String runner) {
    String name = given.toLowerCase(Locale.ROOT);
    String simple = runner.toLowerCase(Locale.ROOT);
    return name.equals(simple) || (name + "runner").equals(simple);
  }

  /**
   * The runner whose own options interfaces alone declare option {@code name} (the FlinkRunner's
   * {@code --flinkMaster}, the SparkRunner's {@code --sparkMaster}, ...), or null for an option of
   * every runner. The PortableRunner takes the FlinkRunner's options: its job server reads them.
   */
  private static @Nullable String runnerOwning(String name) {
    String owner = null;
    for (Class<? extends PipelineOptions> group : PipelineOptionsFactory.getRegisteredOptions()) {
      boolean declares = false;
      for (Method method : group.getDeclaredMethods()) {
        declares |= isGetter(method) && beanName(method).equals(name);
      }
      if (!declares) {
        continue;
      }
      String runner =
          group.getName().startsWith("org.apache.beam.runners.flink.")
              ? "FlinkRunner"
              : group.getName().startsWith("org.apache.beam.runners.spark.") ? "SparkRunner" : null;
      if (runner == null || (owner != null && !owner.equals(runner))) {
        return null;
      }
      owner = runner;
    }
    return owner;
  }

  /** Every option of Beam's registered options interfaces (the runners' included), by name. */
  private static Map<String, Class<?>> beamOptions() {
    Map<String, Class<?>> options = new TreeMap<>();
    for (Class<? extends PipelineOptions> group : PipelineOptionsFactory.getRegisteredOptions()) {
      if (group.getName().startsWith(OWN_PACKAGE)) {
        continue;
      }
      for (Method method : group.getMethods()) {
        if (isGetter(method)) {
          options.putIfAbsent(beanName(method), method.getReturnType());
        }
      }
    }
    return options;
  }

  /** windowpane's interfaces among {@code optionsClass} and its super-interfaces, nearest first. */
  private static Set<Class<?>> ownInterfaces(Class<?> optionsClass) {
    Set<Class<?>> ordered = new LinkedHashSet<>();
    List<Class<?>> level = List.of(optionsClass);
    while (!level.isEmpty()) {
      List<Class<?>> next = new ArrayList<>();
      for (Class<?> type : level) {
        if (type.getName().startsWith(OWN_PACKAGE)) {
          ordered.add(type);
        }
        next.addAll(List.of(type.getInterfaces()));
      }
      level = next;
    }
    return ordered;
  }

  private static Map<String, Method> declaredOptions(Class<?> group) {
    Map<String, Method> options = new TreeMap<>();
    for (Method method : group.getDeclaredMethods()) {
      // A hidden option is set by the command itself, never typed (nor shown in the help).
      if (isGetter(method) && !method.isAnnotationPresent(Hidden.class)) {
        options.put(optionName(method), method);
      }
    }
    return options;
  }

  private static boolean isGetter(Method method) {
    String name = method.getName();
    return method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && !method.isDefault()
        && ((name.startsWith("get") && name.length() > 3) || (name.startsWith("is") && name.length() > 2))
        && method.getReturnType() != void.class;
  }

  /** The name a user types: {@link OptionName}'s, else the Beam property's. */
  private static String optionName(Method getter) {
    OptionName name = getter.getAnnotation(OptionName.class);
    return name != null ? name.value() : beanName(getter);
  }

  private static String beanName(Method getter) {
    String name = getter.getName().substring(getter.getName().startsWith("get") ? 3 : 2);
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static String defaultValue(Method getter) {
    if (getter.isAnnotationPresent(Default.String.class)) {
      return getter.getAnnotation(Default.String.class).value();
    }
    if (getter.isAnnotationPresent(Default.Long.class)) {
      return Long.toString(getter.getAnnotation(Default.Long.class).value());
    }
    if (getter.isAnnotationPresent(Default.Integer.class)) {
      return Integer.toString(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.isAnnotationPresent(Default.Boolean.class)) {
      return Boolean.toString(getter.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }
}
