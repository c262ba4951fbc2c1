package io.sockeye.bench.run;

import javax.imageio.ImageIO;
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

/**
 * Two small chart kinds drawn with java.awt in headless mode and written as PNG: lines (with optional
 * log axes, for latency against throughput) and grouped bars (for memory per connection). Written by
 * hand because two charts do not justify a plotting library's dependency tree.
 */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int W = 960;
    private static final int H = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 250;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {
        new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E),
        new Color(0x7F7F7F), new Color(0x9467BD), new Color(0x8C564B)};

    private Charts() {
    }

    /** One line: a name and its (x, y) points in x order. */
    record Series(String name, List<double[]> points) {
    }

    /** A line chart; points with non-positive coordinates are dropped on log axes. */
    static void lines(Path file, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                      List<Series> series, Double horizontalLine, String horizontalLabel) throws IOException {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if ((logX && p[0] <= 0) || (logY && p[1] <= 0)) {
                    continue;
                }
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (horizontalLine != null) {
            minY = Math.min(minY, horizontalLine);
            maxY = Math.max(maxY, horizontalLine);
        }
        if (minX > maxX) { // no data: draw empty axes
            minX = 1;
            maxX = 10;
            minY = 1;
            maxY = 10;
        }
        Axis x = new Axis(minX, maxX, logX, LEFT, W - RIGHT);
        Axis y = new Axis(minY, maxY, logY, H - BOTTOM, TOP);
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(image, title, xLabel, yLabel);
        drawGrid(g, x, true);
        drawGrid(g, y, false);
        if (horizontalLine != null) {
            Stroke old = g.getStroke();
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{8, 6}, 0));
            int py = y.pixel(horizontalLine);
            g.drawLine(LEFT, py, W - RIGHT, py);
            g.setStroke(old);
            g.drawString(horizontalLabel, LEFT + 6, py - 5);
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            int lastX = Integer.MIN_VALUE, lastY = 0;
            int dot = s.points().size() > 60 ? 2 : 4; // long time series: small dots
            for (double[] p : s.points()) {
                if ((logX && p[0] <= 0) || (logY && p[1] <= 0)) {
                    continue;
                }
                int px = x.pixel(p[0]), py = y.pixel(p[1]);
                g.fillOval(px - dot, py - dot, 2 * dot, 2 * dot);
                if (lastX != Integer.MIN_VALUE) {
                    g.drawLine(lastX, lastY, px, py);
                }
                lastX = px;
                lastY = py;
            }
            legend(g, i, s.name());
        }
        write(image, g, file);
    }

    /** Grouped bars: one group per category, one bar per series. */
    static void bars(Path file, String title, String yLabel, List<String> categories, List<String> seriesNames,
                     double[][] values) throws IOException {
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        Axis y = new Axis(0, max <= 0 ? 1 : max * 1.1, false, H - BOTTOM, TOP);
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(image, title, "", yLabel);
        drawGrid(g, y, false);
        int groups = Math.max(1, categories.size());
        double groupWidth = (double) (W - RIGHT - LEFT) / groups;
        double barWidth = groupWidth * 0.8 / Math.max(1, seriesNames.size());
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < categories.size(); c++) {
            double gx = LEFT + c * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < seriesNames.size(); s++) {
                double v = values[c][s];
                if (!Double.isFinite(v) || v <= 0) {
                    continue;
                }
                int top = y.pixel(v);
                g.setColor(PALETTE[s % PALETTE.length]);
                g.fillRect((int) (gx + s * barWidth), top, (int) Math.max(1, barWidth - 3), H - BOTTOM - top);
                g.setColor(Color.DARK_GRAY);
                String label = String.format("%.2f", v);
                g.drawString(label, (int) (gx + s * barWidth + (barWidth - fm.stringWidth(label)) / 2), top - 4);
            }
            g.setColor(Color.BLACK);
            String name = categories.get(c);
            g.drawString(name, (int) (LEFT + c * groupWidth + (groupWidth - fm.stringWidth(name)) / 2), H - BOTTOM + 20);
        }
        for (int s = 0; s < seriesNames.size(); s++) {
            g.setColor(PALETTE[s % PALETTE.length]);
            legend(g, s, seriesNames.get(s));
        }
        write(image, g, file);
    }

    private static Graphics2D frame(BufferedImage image, String title, String xLabel, String yLabel) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString(title, LEFT, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawRect(LEFT, TOP, W - RIGHT - LEFT, H - BOTTOM - TOP);
        g.drawString(xLabel, LEFT + (W - RIGHT - LEFT - g.getFontMetrics().stringWidth(xLabel)) / 2, H - 22);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + (H - BOTTOM - TOP + g.getFontMetrics().stringWidth(yLabel)) / 2), 22);
        rotated.dispose();
        return g;
    }

    private static void legend(Graphics2D g, int i, String name) {
        int lx = W - RIGHT + 15;
        int ly = TOP + 12 + i * 22;
        g.fillRect(lx, ly - 9, 16, 10);
        g.setColor(Color.BLACK);
        g.drawString(name, lx + 22, ly);
    }

    private static void drawGrid(Graphics2D g, Axis axis, boolean horizontal) {
        FontMetrics fm = g.getFontMetrics();
        for (double t : axis.ticks()) {
            int p = axis.pixel(t);
            g.setColor(new Color(0xE6E6E6));
            if (horizontal) {
                g.drawLine(p, TOP + 1, p, H - BOTTOM - 1);
            } else {
                g.drawLine(LEFT + 1, p, W - RIGHT - 1, p);
            }
            g.setColor(Color.BLACK);
            String label = Axis.label(t);
            if (horizontal) {
                g.drawString(label, p - fm.stringWidth(label) / 2, H - BOTTOM + 18);
            } else {
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), p + 5);
            }
        }
    }

    private static void write(BufferedImage image, Graphics2D g, Path file) throws IOException {
        g.dispose();
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /** Maps data values to pixels, linearly or by decades. */
    private record Axis(double min, double max, boolean log, int from, int to) {
        Axis {
            if (log) {
                min = Math.pow(10, Math.floor(Math.log10(min)));
                max = Math.pow(10, Math.ceil(Math.log10(max)));
                if (max <= min) {
                    max = min * 10;
                }
            } else {
                double step = niceStep(max - Math.min(0, min));
                min = Math.min(0, Math.floor(min / step) * step);
                max = Math.ceil(max / step) * step;
                if (max <= min) {
                    max = min + 1;
                }
            }
        }

        int pixel(double v) {
            double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
            return (int) Math.round(from + f * (to - from));
        }

        List<Double> ticks() {
            List<Double> t = new java.util.ArrayList<>();
            if (log) {
                for (double v = min; v <= max * 1.0001; v *= 10) {
                    t.add(v);
                }
            } else {
                double step = niceStep(max - min);
                for (double v = min; v <= max + step / 1000; v += step) {
                    t.add(v);
                }
            }
            return t;
        }

        private static double niceStep(double range) {
            if (range <= 0) {
                return 1;
            }
            double raw = range / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double r = raw / magnitude;
            return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
        }

        static String label(double v) {
            double a = Math.abs(v);
            if (a >= 1e6) {
                return trim(v / 1e6) + "M";
            }
            if (a >= 1e3) {
                return trim(v / 1e3) + "k";
            }
            return trim(v);
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.2f", v).replaceAll("0+$", "");
        }
    }
}
