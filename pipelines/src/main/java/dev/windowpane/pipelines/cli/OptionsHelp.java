package dev.windowpane.pipelines.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The options a command declares itself (not Beam's), read from its options interface: name,
 * {@code @Description} and {@code @Default}, the command's own interface first, then the shared
 * ones it extends.
 */
public final class OptionsHelp {
  private static final String OWN_PACKAGE = "dev.windowpane.";

  private OptionsHelp() {}

  /** One option: its name, what it means, its default (or null). */
  public static final class Option {
    final String name;
    final String description;
    final String defaultValue;

    Option(String name, String description, String defaultValue) {
      this.name = name;
      this.description = description;
      this.defaultValue = defaultValue;
    }

    public String name() {
      return name;
    }
  }

  /** The options {@code optionsClass} declares in windowpane's own interfaces. */
  public static List<Option> options(Class<? extends PipelineOptions> optionsClass) {
    Map<String, Option> byName = new LinkedHashMap<>();
    for (Class<?> iface : ownInterfaces(optionsClass)) {
      List<Method> getters = new ArrayList<>();
      for (Method method : iface.getDeclaredMethods()) {
        if (isGetter(method)) {
          getters.add(method);
        }
      }
      getters.sort(Comparator.comparing(OptionsHelp::propertyName));
      for (Method getter : getters) {
        byName.putIfAbsent(
            propertyName(getter),
            new Option(propertyName(getter), description(getter), defaultValue(getter)));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** The help text of one command. */
  public static String of(Command command) {
    StringBuilder help = new StringBuilder();
    help.append("Usage: java -jar windowpane-pipelines.jar ")
        .append(command.name())
        .append(" [--option=value ...]\n\n")
        .append(command.description())
        .append("\n\nOptions:\n");
    for (Option option : options(command.optionsClass())) {
      help.append("  --").append(option.name).append('\n');
      help.append("      ").append(option.description);
      if (option.defaultValue != null) {
        help.append(" Default: ").append(option.defaultValue).append('.');
      }
      help.append('\n');
    }
    help.append(
        "\nDurations are written like 500ms, 90s, 1m, 1h, 1d or 1h30m. Beam's own options"
            + " (--runner, --targetParallelism, ...) pass through.\n");
    return help.toString();
  }

  private static Set<Class<?>> ownInterfaces(Class<?> iface) {
    Set<Class<?>> ordered = new LinkedHashSet<>();
    List<Class<?>> level = List.of(iface);
    while (!level.isEmpty()) {
      List<Class<?>> next = new ArrayList<>();
      for (Class<?> c : level) {
        if (c.getName().startsWith(OWN_PACKAGE)) {
          ordered.add(c);
        }
        next.addAll(List.of(c.getInterfaces()));
      }
      level = next;
    }
    return ordered;
  }

  private static boolean isGetter(Method method) {
    return method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && !method.isDefault()
        && (method.getName().startsWith("get") || method.getName().startsWith("is"));
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(getter.getName().startsWith("get") ? 3 : 2);
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static String description(Method getter) {
    Description description = getter.getAnnotation(Description.class);
    return description == null ? "" : description.value();
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
    if (getter.isAnnotationPresent(Default.Double.class)) {
      return Double.toString(getter.getAnnotation(Default.Double.class).value());
    }
    if (getter.isAnnotationPresent(Default.Boolean.class)) {
      return Boolean.toString(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.isAnnotationPresent(Default.Enum.class)) {
      return getter.getAnnotation(Default.Enum.class).value();
    }
    return null;
  }
}
