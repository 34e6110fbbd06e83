package org.mlsysworkbench.algorithms.attention;

/**
 * LServe's top-K page choice (omniserve {@code decoding_attention.py}): with {@code T} tokens in {@code P}
 * physical pages of {@code N_P} tokens and a budget of {@code B} tokens,
 * <ol>
 *   <li>if {@code T <= B} every page is selected;</li>
 *   <li>otherwise {@code K = min(max(3, B / N_P), P) - 1} pages are taken by score among {@code 0 .. P-2}
 *       (ties go to the lower page), and the newest page {@code P-1} is always appended.</li>
 * </ol>
 * Selected ids are written in ascending order, so the newest page is last. Allocation-free; not thread-safe
 * (each thread owns its instance's scratch).
 */
public final class PageSelection {

    private int[] heap = new int[0];

    /** How many pages the rule selects for {@code tokens} tokens. */
    public static int selectedCount(int tokens, int budgetTokens, int pageTokens) {
        int pages = (tokens + pageTokens - 1) / pageTokens;
        if (tokens <= budgetTokens) {
            return pages;
        }
        return Math.min(Math.max(3, budgetTokens / pageTokens), pages);
    }

    /**
     * Selects pages for one head.
     *
     * @param scores physical page scores from {@code scoreOff}, {@code pages} of them
     * @param out    receives the selected sequence page ids from {@code outOff}, ascending, newest last
     * @return the number of ids written ({@link #selectedCount})
     */
    public int select(float[] scores, int scoreOff, int tokens, int pageTokens, int budgetTokens, int[] out,
                      int outOff) {
        int pages = (tokens + pageTokens - 1) / pageTokens;
        int count = selectedCount(tokens, budgetTokens, pageTokens);
        if (count == pages) {
            for (int p = 0; p < pages; p++) {
                out[outOff + p] = p;
            }
            return pages;
        }
        int k = count - 1;
        if (heap.length < k) {
            heap = new int[Math.max(k, 2 * heap.length)];
        }
        // min-heap of the k best so far; the root is the weakest (lowest score, then highest index)
        int size = 0;
        for (int p = 0; p < pages - 1; p++) {
            if (size < k) {
                heap[size] = p;
                siftUp(scores, scoreOff, size++);
            } else if (better(scores, scoreOff, p, heap[0])) {
                heap[0] = p;
                siftDown(scores, scoreOff, size);
            }
        }
        System.arraycopy(heap, 0, out, outOff, k);
        java.util.Arrays.sort(out, outOff, outOff + k);
        out[outOff + k] = pages - 1;
        return count;
    }

    private static boolean better(float[] s, int off, int a, int b) {
        float sa = s[off + a];
        float sb = s[off + b];
        return sa > sb || (sa == sb && a < b);
    }

    private void siftUp(float[] s, int off, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (better(s, off, heap[parent], heap[i])) {
                int t = heap[parent];
                heap[parent] = heap[i];
                heap[i] = t;
                i = parent;
            } else {
                return;
            }
        }
    }

    private void siftDown(float[] s, int off, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int w = i;
            if (l < size && better(s, off, heap[w], heap[l])) {
                w = l;
            }
            if (r < size && better(s, off, heap[w], heap[r])) {
                w = r;
            }
            if (w == i) {
                return;
            }
            int t = heap[w];
            heap[w] = heap[i];
            heap[i] = t;
            i = w;
        }
    }
}
