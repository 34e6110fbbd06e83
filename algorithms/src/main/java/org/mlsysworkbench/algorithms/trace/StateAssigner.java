package org.mlsysworkbench.algorithms.trace;

/**
 * Assigns final states (0 complete, 1 cancel, 2 fail) to GPU jobs so that both the share of jobs and the
 * share of GPU time of each state meet published targets. Model: {@code P(s | w) ∝ a_s · (1+w)^b_s} on a
 * job's GPU time w, with (a, b) fitted by alternating proportional updates; realised by error diffusion
 * (each job takes the state with the largest accumulated probability residue) in descending order of w,
 * so every prefix of large jobs already carries its share. Jobs that alone hold over 0.1 % of the GPU time
 * (at most one in 200 jobs) are drawn first, each to the state with the most GPU time still missing.
 */
final class StateAssigner {

    private static final double ATOM_SHARE = 0.001;

    private StateAssigner() {
    }

    static byte[] assign(double[] gpus, double[] dur, double[] countShares, double[] timeShares) {
        int n = gpus.length;
        int k = countShares.length;
        double[] w = new double[n];
        double total = 0;
        double maxW = 0;
        for (int i = 0; i < n; i++) {
            w[i] = gpus[i] * dur[i];
            total += w[i];
            maxW = Math.max(maxW, Math.log1p(w[i]));
        }
        double[] c = normalised(countShares);
        double[] g = normalised(timeShares);
        double[] countLeft = new double[k];
        double[] timeLeft = new double[k];
        for (int s = 0; s < k; s++) {
            countLeft[s] = c[s] * n;
            timeLeft[s] = g[s] * total;
        }
        double[] key = new double[n];
        for (int i = 0; i < n; i++) {
            key[i] = -Math.log1p(w[i]);
        }
        int[] order = Sampling.order(key, -maxW - 1, 0);
        byte[] state = new byte[n];
        int first = 0;
        int maxAtoms = Math.max(1, n / 200);
        while (first < Math.min(n, maxAtoms) && w[order[first]] > ATOM_SHARE * total) {
            int i = order[first];
            int best = Sampling.argMax(timeLeft);
            state[i] = (byte) best;
            timeLeft[best] -= w[i];
            countLeft[best] -= 1;
            first++;
        }
        int rest = n - first;
        if (rest == 0) {
            return state;
        }
        double[] x = new double[rest];
        double[] wr = new double[rest];
        for (int j = 0; j < rest; j++) {
            wr[j] = w[order[first + j]];
            x[j] = Math.log1p(wr[j]);
        }
        double[] cTarget = new double[k];
        double[] tTarget = new double[k];
        for (int s = 0; s < k; s++) {
            cTarget[s] = Math.max(countLeft[s], 1e-9);
            tTarget[s] = Math.max(timeLeft[s], 1e-9);
        }
        double[][] ab = fit(x, wr, cTarget, tTarget);
        double[] residue = new double[k];
        double[] p = new double[k];
        for (int j = 0; j < rest; j++) {
            probabilities(ab, x[j], p);
            for (int s = 0; s < k; s++) {
                residue[s] += p[s];
            }
            int best = Sampling.argMax(residue);
            residue[best] -= 1;
            state[order[first + j]] = (byte) best;
        }
        return state;
    }

    private static double[] normalised(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += Math.max(0, x);
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(0, v[i]) / sum;
        }
        return out;
    }

    private static void probabilities(double[][] ab, double x, double[] p) {
        double max = -Double.MAX_VALUE;
        for (int s = 0; s < p.length; s++) {
            p[s] = ab[0][s] + ab[1][s] * x;
            max = Math.max(max, p[s]);
        }
        double sum = 0;
        for (int s = 0; s < p.length; s++) {
            p[s] = Math.exp(p[s] - max);
            sum += p[s];
        }
        for (int s = 0; s < p.length; s++) {
            p[s] /= sum;
        }
    }

    /** Fits log a_s and b_s (state 0 the reference) on a subsample of at most 40,000 jobs. */
    private static double[][] fit(double[] x, double[] w, double[] cTarget, double[] tTarget) {
        int k = cTarget.length;
        int n = x.length;
        int stride = Math.max(1, n / 40000);
        double sub = Math.ceil((double) n / stride);
        double factor = n / sub;
        double sd = 0;
        double mu = 0;
        for (int i = 0; i < n; i += stride) {
            mu += x[i];
        }
        mu /= sub;
        for (int i = 0; i < n; i += stride) {
            sd += (x[i] - mu) * (x[i] - mu);
        }
        sd = Math.sqrt(sd / sub) + 1e-9;
        double[][] ab = new double[2][k];
        for (int s = 0; s < k; s++) {
            ab[0][s] = Math.log(cTarget[s] / cTarget[0]);
        }
        double[] p = new double[k];
        for (int it = 0; it < 400; it++) {
            double[] cPred = new double[k];
            double[] tPred = new double[k];
            for (int i = 0; i < n; i += stride) {
                probabilities(ab, x[i], p);
                for (int s = 0; s < k; s++) {
                    cPred[s] += p[s] * factor;
                    tPred[s] += p[s] * w[i] * factor;
                }
            }
            double cRef = Math.log(cTarget[0] / cPred[0]);
            double tRef = Math.log(tTarget[0] / Math.max(tPred[0], 1e-300));
            for (int s = 1; s < k; s++) {
                double dc = Math.log(cTarget[s] / cPred[s]) - cRef;
                double dt = Math.log(tTarget[s] / Math.max(tPred[s], 1e-300)) - tRef;
                ab[0][s] += dc;
                ab[1][s] += 0.3 / sd * (dt - dc);
            }
        }
        return ab;
    }
}
