package dev.windowpane.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The PNG chart, three panels. Top: events per second (log scale) against the window/slide ratio
 * (log scale), one line per contender and runner at the default dimensions (10,000 keys, heap
 * state, no checkpoints); the pass-through, which has no windows, is a dashed horizontal line; a
 * capped measurement is drawn as a hollow marker, a wrong answer as a cross. Bottom left: events
 * per second at W/P = 60 per contender in each dimension (keys, state backend, checkpoints, late
 * events), one bar each (log scale). Bottom right: freshness per contender, p50 and p99 bars.
 * Drawn with java.awt, headless.
 */
public final class Chart {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 640;
  private static final int PANELS_HEIGHT = 470;
  private static final int LEFT = 90;
  private static final int RIGHT = 330;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] PALETTE = {
    new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E),
    new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F),
    new Color(0xBCBD22), new Color(0x17BECF), new Color(0x393B79), new Color(0x637939)
  };

  private Chart() {}

  public static BufferedImage draw(Report report, List<Integer> ratios, String title) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT + PANELS_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT + PANELS_HEIGHT);

    double minRate = Double.MAX_VALUE;
    double maxRate = 0;
    for (Row r : report.rows()) {
      if (r.eventsPerSecond() > 0 && r.dimensions().isEmpty()) {
        minRate = Math.min(minRate, r.eventsPerSecond());
        maxRate = Math.max(maxRate, r.eventsPerSecond());
      }
    }
    if (maxRate == 0) {
      minRate = 1;
      maxRate = 10;
    }
    int lowDecade = (int) Math.floor(Math.log10(minRate));
    int highDecade = (int) Math.ceil(Math.log10(maxRate));
    if (highDecade == lowDecade) {
      highDecade++;
    }
    int minRatio = ratios.stream().mapToInt(Integer::intValue).min().orElse(1);
    int maxRatio = ratios.stream().mapToInt(Integer::intValue).max().orElse(10);
    Plot plot =
        new Plot(
            Math.log10(minRatio), Math.log10(Math.max(maxRatio, minRatio * 10)), lowDecade, highDecade);

    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    // Grid and axes.
    g.setColor(new Color(0xDDDDDD));
    for (int d = lowDecade; d <= highDecade; d++) {
      for (int m = 1; m < 10 && d + Math.log10(m) <= highDecade; m++) {
        int y = plot.y(d + Math.log10(m));
        g.setColor(m == 1 ? new Color(0xBBBBBB) : new Color(0xEEEEEE));
        g.drawLine(LEFT, y, WIDTH - RIGHT, y);
      }
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    for (int d = lowDecade; d <= highDecade; d++) {
      String label = decadeLabel(d);
      int y = plot.y(d);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
    }
    for (int ratio : ratios) {
      int x = plot.x(Math.log10(ratio));
      g.setColor(new Color(0xEEEEEE));
      g.drawLine(x, TOP + 1, x, HEIGHT - BOTTOM - 1);
      g.setColor(Color.BLACK);
      String label = Integer.toString(ratio);
      g.drawString(label, x - fm.stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
    }
    g.drawString(
        "window / slide (W/P), log scale",
        LEFT + (WIDTH - LEFT - RIGHT) / 2 - 100,
        HEIGHT - BOTTOM + 45);
    Graphics2D vertical = (Graphics2D) g.create();
    vertical.rotate(-Math.PI / 2);
    vertical.drawString("events per second, log scale", -(TOP + (HEIGHT - TOP - BOTTOM) / 2 + 90), 22);
    vertical.dispose();
    g.setFont(font.deriveFont(Font.BOLD, 16f));
    g.drawString(title, LEFT, 30);
    g.setFont(font);

    int series = 0;
    int legendY = TOP + 10;
    Stroke solid = new BasicStroke(2f);
    Stroke dashed =
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
    for (Map.Entry<String, List<Row>> e : report.bySeries().entrySet()) {
      if (!e.getValue().get(0).dimensions().isEmpty()) {
        continue;
      }
      Color color = PALETTE[series++ % PALETTE.length];
      g.setColor(color);
      List<Row> points = e.getValue();
      boolean flat = points.size() == 1 && points.get(0).ratio() == null;
      if (flat) {
        Row r = points.get(0);
        if (r.eventsPerSecond() > 0) {
          int y = plot.y(Math.log10(r.eventsPerSecond()));
          g.setStroke(dashed);
          g.drawLine(LEFT + 1, y, WIDTH - RIGHT - 1, y);
        }
      } else {
        g.setStroke(solid);
        int px = -1;
        int py = -1;
        for (Row r : points) {
          if (r.ratio() == null || r.eventsPerSecond() <= 0) {
            continue;
          }
          int x = plot.x(Math.log10(r.ratio()));
          int y = plot.y(Math.log10(r.eventsPerSecond()));
          if (px >= 0) {
            g.drawLine(px, py, x, y);
          }
          marker(g, x, y, r);
          px = x;
          py = y;
        }
      }
      g.setStroke(flat ? dashed : solid);
      g.drawLine(WIDTH - RIGHT + 20, legendY, WIDTH - RIGHT + 50, legendY);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), WIDTH - RIGHT + 58, legendY + fm.getAscent() / 2 - 1);
      legendY += 22;
    }
    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.DARK_GRAY);
    legendY += 10;
    g.drawOval(WIDTH - RIGHT + 30, legendY - 4, 8, 8);
    g.drawString("hollow: capped at the time limit", WIDTH - RIGHT + 58, legendY + fm.getAscent() / 2 - 1);
    legendY += 20;
    g.drawLine(WIDTH - RIGHT + 30, legendY - 4, WIDTH - RIGHT + 38, legendY + 4);
    g.drawLine(WIDTH - RIGHT + 30, legendY + 4, WIDTH - RIGHT + 38, legendY - 4);
    g.drawString("cross: not verified", WIDTH - RIGHT + 58, legendY + fm.getAscent() / 2 - 1);
    legendY += 20;
    g.drawString("dashed: no windows (ceiling)", WIDTH - RIGHT + 58, legendY + fm.getAscent() / 2 - 1);
    dimensionsPanel(g, report, 0, HEIGHT, WIDTH / 2, PANELS_HEIGHT);
    freshnessPanel(g, report, WIDTH / 2, HEIGHT, WIDTH / 2, PANELS_HEIGHT);
    g.dispose();
    return image;
  }

  /** One labelled bar of a panel; {@code note} is written after the value. */
  private record Bar(String label, double value, String shown, Color color) {}

  /** Events per second at W/P = 60 of each contender in each dimension, log scale. */
  private static void dimensionsPanel(Graphics2D g, Report report, int x0, int y0, int w, int h) {
    List<Bar> bars = new java.util.ArrayList<>();
    java.util.Set<String> contenders = new java.util.LinkedHashSet<>();
    for (Row r : report.rows()) {
      if (!r.dimensions().isEmpty() && r.pacedRate() == 0 && Integer.valueOf(60).equals(r.ratio())) {
        contenders.add(r.contender());
      }
    }
    for (String c : contenders) {
      int colour = 0;
      for (Row r : report.rows()) {
        if (r.contender().equals(c) && r.runner().equals("flink") && r.pacedRate() == 0
            && Integer.valueOf(60).equals(r.ratio())) {
          String label = c + (r.dimensions().isEmpty() ? ", 10,000 keys, heap" : r.dimensions());
          bars.add(new Bar(label, r.eventsPerSecond(), cellText(r), PALETTE[colour++ % PALETTE.length]));
        }
      }
    }
    panel(g, x0, y0, w, h, "Events/s at W/P = 60 by dimension (log scale)", bars, true);
  }

  /** p50 and p99 freshness of every paced row, in ms (linear). */
  private static void freshnessPanel(Graphics2D g, Report report, int x0, int y0, int w, int h) {
    List<Bar> bars = new java.util.ArrayList<>();
    for (Row r : report.rows()) {
      if (r.pacedRate() > 0 && r.p99FreshnessMs() >= 0) {
        String note = r.verified() ? "" : " (not verified)";
        String name = r.contender() + (r.runnerFlags().isEmpty() ? "" : ", " + r.runnerFlags().replace("watermarks every ", "wm "));
        bars.add(new Bar(name + " p50", r.p50FreshnessMs(),
            Math.round(r.p50FreshnessMs()) + " ms" + note, PALETTE[1]));
        bars.add(new Bar(name + " p99", r.p99FreshnessMs(),
            Math.round(r.p99FreshnessMs()) + " ms" + note, PALETTE[0]));
      }
    }
    String rate = report.rows().stream().filter(r -> r.pacedRate() > 0).findFirst()
        .map(r -> " at " + Report.rate(r.pacedRate()) + " events/s, W/P = " + r.ratio()).orElse("");
    panel(g, x0, y0, w, h, "Freshness in ms" + rate, bars, false);
  }

  private static String cellText(Row r) {
    if (!r.ran()) {
      return "not run";
    }
    if (r.noWindowCompleted()) {
      return "no window completed";
    }
    return Report.rate(r.eventsPerSecond()) + (r.capped() ? " (capped)" : "") + (r.verified() ? "" : " (not verified)");
  }

  /** Horizontal bars under a title; log scale from the smallest positive value's decade when {@code log}. */
  private static void panel(Graphics2D g, int x0, int y0, int w, int h, String title, List<Bar> bars, boolean log) {
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    g.setFont(font.deriveFont(Font.BOLD, 14f));
    g.setColor(Color.BLACK);
    g.drawString(title, x0 + 20, y0 + 30);
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    if (bars.isEmpty()) {
      g.drawString("not measured in this run", x0 + 20, y0 + 60);
      return;
    }
    int labelWidth = 0;
    for (Bar b : bars) {
      labelWidth = Math.max(labelWidth, fm.stringWidth(b.label()));
    }
    int left = x0 + 20 + labelWidth + 8;
    int right = x0 + w - 110;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
    double minPositive = bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).min().orElse(1);
    double low = log ? Math.floor(Math.log10(minPositive)) - 1 : 0;
    double high = log ? Math.max(low + 1, Math.ceil(Math.log10(Math.max(max, 1)))) : Math.max(max, 1);
    int rowHeight = Math.min(26, (h - 70) / bars.size());
    int y = y0 + 50;
    for (Bar b : bars) {
      g.setColor(Color.BLACK);
      g.drawString(b.label(), left - 8 - fm.stringWidth(b.label()), y + rowHeight / 2 + fm.getAscent() / 2 - 2);
      double position = b.value() <= 0 ? 0
          : log ? (Math.log10(b.value()) - low) / (high - low) : b.value() / high;
      int length = (int) Math.round(Math.max(0, position) * (right - left));
      g.setColor(b.color());
      g.fillRect(left, y + 3, Math.max(1, length), rowHeight - 6);
      g.setColor(Color.DARK_GRAY);
      g.drawString(b.shown(), left + length + 6, y + rowHeight / 2 + fm.getAscent() / 2 - 2);
      y += rowHeight;
    }
    g.setColor(new Color(0xBBBBBB));
    g.drawLine(left, y0 + 48, left, y + 2);
  }

  public static void write(Report report, List<Integer> ratios, String title, Path file)
      throws IOException {
    ImageIO.write(draw(report, ratios, title), "png", file.toFile());
  }

  private static void marker(Graphics2D g, int x, int y, Row r) {
    if (!r.verified()) {
      g.drawLine(x - 5, y - 5, x + 5, y + 5);
      g.drawLine(x - 5, y + 5, x + 5, y - 5);
    } else if (r.capped()) {
      Color c = g.getColor();
      g.setColor(Color.WHITE);
      g.fillOval(x - 5, y - 5, 10, 10);
      g.setColor(c);
      g.drawOval(x - 5, y - 5, 10, 10);
    } else {
      g.fillOval(x - 4, y - 4, 9, 9);
    }
  }

  private static String decadeLabel(int decade) {
    if (decade >= 6) {
      return (long) Math.pow(10, decade - 6) + "M";
    }
    if (decade >= 3) {
      return (long) Math.pow(10, decade - 3) + "k";
    }
    return Long.toString((long) Math.pow(10, Math.max(0, decade)));
  }

  private record Plot(double xMin, double xMax, double yMin, double yMax) {
    int x(double logRatio) {
      return LEFT + 20 + (int) Math.round((logRatio - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT - 40));
    }

    int y(double logRate) {
      return HEIGHT - BOTTOM - (int) Math.round((logRate - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM));
    }
  }
}
