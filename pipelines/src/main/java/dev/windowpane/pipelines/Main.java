package dev.windowpane.pipelines;

import dev.windowpane.pipelines.cli.Command;
import dev.windowpane.pipelines.cli.OptionsHelp;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.generator.Generate;
import dev.windowpane.pipelines.io.PipelineMetrics;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The one command-line entry point: {@code java -jar windowpane-pipelines.jar <pipeline>
 * [--option=value ...]}. A bad command line fails before any pipeline starts with one sentence on
 * stderr and exit code 2; a failed run exits with 1.
 */
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    // One line per command; the order is the order of --help.
    register(Command.pipeline(TopSellers.NAME, TopSellers.DESCRIPTION, TopSellers.Options.class, TopSellers::buildPipeline, TopSellers.Options::getOutput, PipelineMetrics.RANKINGS));
    register(Command.pipeline(TrendingHashtags.NAME, TrendingHashtags.DESCRIPTION, TrendingHashtags.Options.class, TrendingHashtags::buildPipeline, TrendingHashtags.Options::getOutput, PipelineMetrics.RANKINGS));
    register(Command.pipeline(SessionStatsPipeline.NAME, SessionStatsPipeline.DESCRIPTION, SessionStatsPipeline.Options.class, SessionStatsPipeline::buildPipeline, SessionStatsPipeline.Options::getOutput, PipelineMetrics.SESSIONS));
    register(Command.tool(Generate.NAME, Generate.DESCRIPTION, Generate.Options.class, Generate::run));
  }

  private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("missing a property named '([^']*)'");
  private static final Pattern BAD_VALUE =
      Pattern.compile("Cannot deserialize value of type `java\\.lang\\.(Long|Integer)` from String \"([^\"]*)\"");

  private Main() {}

  private static void register(Command command) {
    COMMANDS.put(command.name(), command);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs pipeline {@code name} with {@code args}, for a pipeline class's own {@code main}. */
  static void runAndExit(String name, String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = name;
    System.arraycopy(args, 0, all, 1, args.length);
    main(all);
  }

  /** Runs the command line {@code args}; returns the exit code (0 ok, 1 failed run, 2 bad command line). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("Name a pipeline: " + names() + " (--help lists them).");
      return USAGE;
    }
    if (isHelp(args[0])) {
      out.print(usage());
      return OK;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println(
          args[0].startsWith("-")
              ? "Name a pipeline before the options: " + names() + "."
              : "Unknown pipeline '" + args[0] + "'; the pipelines are " + names() + ".");
      return USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.stream().anyMatch(Main::isHelp)) {
      out.print(OptionsHelp.of(command));
      return OK;
    }
    try {
      PipelineOptions options = parse(command, rest);
      return command.run(options, out, err);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println(command.name() + " failed: " + rootMessage(e));
      e.printStackTrace(err);
      return FAILED;
    }
  }

  private static PipelineOptions parse(Command command, List<String> args) {
    try {
      return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(command.optionsClass());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      Matcher unknown = UNKNOWN_PROPERTY.matcher(message);
      if (unknown.find()) {
        String option = unknown.group(1);
        String suggestion =
            closest(option, command).map(name -> " (did you mean --" + name + "?)").orElse("");
        throw new UsageException(
            "Unknown option --" + option + " for " + command.name() + suggestion
                + "; '" + command.name() + " --help' lists the options.", e);
      }
      Matcher badValue = BAD_VALUE.matcher(message);
      if (badValue.find()) {
        throw new UsageException(
            "Option " + optionWithValue(args, badValue.group(2)) + " must be a whole number.", e);
      }
      int newline = message.indexOf('\n');
      throw new UsageException(newline < 0 ? message : message.substring(0, newline), e);
    }
  }

  /** The argument that gave {@code value}, e.g. "--top=abc", to name it in an error. */
  private static String optionWithValue(List<String> args, String value) {
    return args.stream()
        .filter(arg -> arg.startsWith("--") && arg.endsWith("=" + value))
        .findFirst()
        .orElse("value '" + value + "'");
  }

  private static Optional<String> closest(String option, Command command) {
    String best = null;
    int bestDistance = 3;
    for (OptionsHelp.Option candidate : OptionsHelp.options(command.optionsClass())) {
      int distance = editDistance(option.toLowerCase(), candidate.name().toLowerCase());
      if (distance < bestDistance) {
        best = candidate.name();
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
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

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help") || arg.startsWith("--help=");
  }

  private static String names() {
    return String.join(", ", COMMANDS.keySet());
  }

  static String usage() {
    StringBuilder usage = new StringBuilder();
    usage.append("Usage: java -jar windowpane-pipelines.jar <pipeline> [--option=value ...]\n\nPipelines:\n");
    int width = COMMANDS.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Command command : COMMANDS.values()) {
      usage.append(String.format("  %-" + width + "s  %s%n", command.name(), command.description()));
    }
    usage.append(
        "\n'<pipeline> --help' lists its options. Without --input a pipeline reads the built-in"
            + " generator; without --output it prints a table per window. Beam's own options"
            + " (--runner, ...) pass through.\n");
    return usage.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** The registered command names, for tests and help. */
  static List<String> commandNames() {
    return COMMANDS.keySet().stream().collect(Collectors.toList());
  }
}
