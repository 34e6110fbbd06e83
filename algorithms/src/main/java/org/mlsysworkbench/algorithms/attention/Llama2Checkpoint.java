package org.mlsysworkbench.algorithms.attention;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads llama2.c checkpoints (the legacy version-0 export of {@code run.c}): a header of seven
 * little-endian int32 ({@code dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len}) followed by
 * float32 tensors in a fixed order; a negative {@code vocab_size} means a separate classifier {@code wcls}
 * follows the RoPE tables. Every problem becomes a {@link CheckpointException} naming the file and field.
 * Stateless and thread-safe.
 */
public final class Llama2Checkpoint {

    /** Header size in bytes. */
    public static final int HEADER_BYTES = 28;
    /** Limits that reject garbage headers before anything is allocated. */
    static final int MAX_DIM = 1 << 16;
    static final int MAX_LAYERS = 1024;
    static final int MAX_VOCAB = 1 << 20;
    static final int MAX_SEQ = 1 << 20;

    private static final String[] FIELDS = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads",
        "vocab_size", "seq_len"};

    private Llama2Checkpoint() {
    }

    /**
     * Loads a checkpoint from a class-path resource (the bundled samples), reading it whole.
     *
     * @param source the name errors report
     */
    public static LlamaWeights load(java.io.InputStream in, String source) throws CheckpointException {
        Path name = Path.of(source);
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new CheckpointException(name, "file", "cannot read: " + e.getMessage());
        }
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER_BYTES) {
            throw new CheckpointException(name, "header", "expected at least " + HEADER_BYTES
                    + " bytes (7 int32), the file has " + bytes.length);
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = all.getInt();
        }
        LlamaConfig config = checkHeader(name, h);
        checkSize(name, config, bytes.length);
        return readTensors(name, config, all.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
    }

    private static void checkSize(Path file, LlamaConfig config, long size) throws CheckpointException {
        long expected = HEADER_BYTES + 4 * config.weightFloats();
        if (size < expected) {
            throw new CheckpointException(file, firstMissingTensor(config, (size - HEADER_BYTES) / 4),
                    "truncated: the header needs " + expected + " bytes, the file has " + size);
        }
        if (size > expected) {
            throw new CheckpointException(file, "size", "expected exactly " + expected
                    + " bytes for this header (not a llama2.c version-0 checkpoint?), the file has " + size);
        }
    }

    /** Loads the whole checkpoint into heap arrays. */
    public static LlamaWeights load(Path file) throws CheckpointException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new CheckpointException(file, "header", "expected at least " + HEADER_BYTES
                        + " bytes (7 int32), the file has " + size);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining()) {
                if (ch.read(header) < 0) {
                    throw new CheckpointException(file, "header", "unexpected end of file");
                }
            }
            header.flip();
            int[] h = new int[7];
            for (int i = 0; i < 7; i++) {
                h[i] = header.getInt();
            }
            LlamaConfig config = checkHeader(file, h);
            checkSize(file, config, size);
            FloatBuffer fb = ch.map(FileChannel.MapMode.READ_ONLY, HEADER_BYTES, size - HEADER_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            return readTensors(file, config, fb);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "file", "not found");
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "file", "cannot read: " + e.getMessage());
        }
    }

    /**
     * Writes {@code weights} as a llama2.c version-0 checkpoint (the layout {@link #load(Path)} reads, including
     * the legacy RoPE tables {@code freq_cis_real/imag [seq_len][head_size / 2]}); a separate classifier is
     * marked by a negative {@code vocab_size}.
     */
    public static void save(Path file, LlamaWeights weights) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(os, weights);
        }
    }

    /** Streams the checkpoint bytes of {@link #save}. */
    public static void write(OutputStream os, LlamaWeights w) throws IOException {
        LlamaConfig c = w.config();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads())
                .putInt(c.sharedClassifier() ? c.vocabSize() : -c.vocabSize()).putInt(c.seqLen());
        os.write(header.array());
        for (float[] t : new float[][] {w.tokenEmbedding, w.rmsAtt, w.wq, w.wk, w.wv, w.wo, w.rmsFfn, w.w1, w.w2,
            w.w3, w.rmsFinal}) {
            writeFloats(os, t);
        }
        int hs = c.headSize();
        float[] re = new float[c.seqLen() * hs / 2];
        float[] im = new float[re.length];
        for (int pos = 0; pos < c.seqLen(); pos++) {
            for (int i = 0; i < hs; i += 2) {
                float freq = (float) (1.0 / Math.pow(10000.0, i / (double) hs));
                re[pos * hs / 2 + i / 2] = (float) Math.cos(pos * freq);
                im[pos * hs / 2 + i / 2] = (float) Math.sin(pos * freq);
            }
        }
        writeFloats(os, re);
        writeFloats(os, im);
        if (!c.sharedClassifier()) {
            writeFloats(os, w.wcls);
        }
    }

    private static void writeFloats(OutputStream os, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        os.write(b.array());
    }

    static LlamaConfig checkHeader(Path file, int[] h) throws CheckpointException {
        int dim = h[0];
        int hidden = h[1];
        int layers = h[2];
        int heads = h[3];
        int kvHeads = h[4];
        int vocab = Math.abs(h[5]);
        int seq = h[6];
        requireRange(file, FIELDS[0], dim, 2, MAX_DIM);
        requireRange(file, FIELDS[1], hidden, 1, 16 * MAX_DIM);
        requireRange(file, FIELDS[2], layers, 1, MAX_LAYERS);
        requireRange(file, FIELDS[3], heads, 1, dim);
        requireRange(file, FIELDS[4], kvHeads, 1, heads);
        requireRange(file, FIELDS[5], vocab, 1, MAX_VOCAB);
        requireRange(file, FIELDS[6], seq, 1, MAX_SEQ);
        if (dim % heads != 0) {
            throw new CheckpointException(file, "n_heads", "expected a divisor of dim " + dim + ", got " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new CheckpointException(file, "n_kv_heads", "expected a divisor of n_heads " + heads
                    + ", got " + kvHeads);
        }
        if ((dim / heads) % 2 != 0) {
            throw new CheckpointException(file, "n_heads", "expected an even head size for RoPE, got dim/n_heads = "
                    + dim / heads);
        }
        return new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, seq, h[5] > 0);
    }

    private static void requireRange(Path file, String field, int value, int lo, int hi) throws CheckpointException {
        if (value < lo || value > hi) {
            throw new CheckpointException(file, field, "expected " + lo + " .. " + hi + ", got " + value);
        }
    }

    /** The name of the tensor that a file holding only {@code floatsPresent} weights cuts off. */
    static String firstMissingTensor(LlamaConfig c, long floatsPresent) {
        long d = c.dim();
        long l = c.layers();
        long kv = c.kvDim();
        long[] sizes = {c.vocabSize() * d, l * d, l * d * d, l * kv * d, l * kv * d, l * d * d, l * d,
            l * c.hiddenDim() * d, l * c.hiddenDim() * d, l * c.hiddenDim() * d, d,
            (long) c.seqLen() * c.headSize() / 2, (long) c.seqLen() * c.headSize() / 2, c.vocabSize() * d};
        String[] names = {"token_embedding_table", "rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight", "w1",
            "w2", "w3", "rms_final_weight", "freq_cis_real", "freq_cis_imag", "wcls"};
        long at = 0;
        for (int i = 0; i < sizes.length; i++) {
            at += sizes[i];
            if (at > floatsPresent) {
                return names[i];
            }
        }
        return "wcls";
    }

    private static LlamaWeights readTensors(Path file, LlamaConfig c, FloatBuffer fb) throws CheckpointException {
        int d = c.dim();
        int l = c.layers();
        int kv = c.kvDim();
        int hid = c.hiddenDim();
        float[] emb = take(file, fb, "token_embedding_table", (long) c.vocabSize() * d);
        float[] rmsAtt = take(file, fb, "rms_att_weight", (long) l * d);
        float[] wq = take(file, fb, "wq", (long) l * d * d);
        float[] wk = take(file, fb, "wk", (long) l * kv * d);
        float[] wv = take(file, fb, "wv", (long) l * kv * d);
        float[] wo = take(file, fb, "wo", (long) l * d * d);
        float[] rmsFfn = take(file, fb, "rms_ffn_weight", (long) l * d);
        float[] w1 = take(file, fb, "w1", (long) l * hid * d);
        float[] w2 = take(file, fb, "w2", (long) l * d * hid);
        float[] w3 = take(file, fb, "w3", (long) l * hid * d);
        float[] rmsFinal = take(file, fb, "rms_final_weight", d);
        // the legacy RoPE tables are recomputed in the forward pass
        fb.position(fb.position() + c.seqLen() * c.headSize());
        float[] wcls = c.sharedClassifier() ? emb : take(file, fb, "wcls", (long) c.vocabSize() * d);
        return new LlamaWeights(c, emb, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal, wcls);
    }

    private static float[] take(Path file, FloatBuffer fb, String name, long n) throws CheckpointException {
        if (n > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file, name, "expected at most 2^31 floats per tensor, the header implies "
                    + n);
        }
        float[] a = new float[(int) n];
        fb.get(a);
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new CheckpointException(file, name, "expected finite floats, element " + i + " is " + a[i]);
            }
        }
        return a;
    }
}
