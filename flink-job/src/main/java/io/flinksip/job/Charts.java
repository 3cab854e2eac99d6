package io.flinksip.job;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** PNG charts for the reports (JFreeChart, rendered headless). */
public final class Charts {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One line per series; each series is a list of (x, y) points. */
    public static byte[] lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name);
            for (double[] p : points) {
                if (!Double.isNaN(p[1])) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        });
        return png(ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false,
                false));
    }

    /** Grouped bars: rows are series, columns are categories. */
    public static byte[] bars(String title, String yLabel, Map<String, Map<String, Double>> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        values.forEach((row, cols) -> cols.forEach((col, v) -> data.addValue(v, row, col)));
        return png(ChartFactory.createBarChart(title, "", yLabel, data, PlotOrientation.VERTICAL, true, false, false));
    }

    public static byte[] histogram(String title, String xLabel, double[] values, int bins) {
        HistogramDataset data = new HistogramDataset();
        data.addSeries(title, values.length == 0 ? new double[] {0} : values, bins);
        return png(ChartFactory.createHistogram(title, xLabel, "calls", data, PlotOrientation.VERTICAL, false, false,
                false));
    }

    private static byte[] png(JFreeChart chart) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
