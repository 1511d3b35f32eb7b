package dev.signet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, percentiles and spread of a handful of measurements. */
final class Stats {
    private Stats() {
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return Collections.min(values);
    }

    static double max(List<Double> values) {
        return Collections.max(values);
    }
}
