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
 * The PNG chart: events per second (log scale) against the window/slide ratio (log scale), one
 * line per contender and runner. The pass-through, which has no windows, is a dashed horizontal
 * line; a capped measurement is drawn as a hollow marker, a wrong answer as a cross. Drawn with
 * java.awt, headless.
 */
public final class Chart {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 640;
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
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

    double minRate = Double.MAX_VALUE;
    double maxRate = 0;
    for (Row r : report.rows()) {
      if (r.eventsPerSecond() > 0) {
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
    g.dispose();
    return image;
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
