package org.mlsysworkbench.algorithms.graph.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;

/**
 * A compact binary file of one {@link CsrGraph}, so a large generated or parsed graph loads in seconds.
 * All numbers little-endian:
 * <pre>
 *   bytes 0..7    magic "MWBCSR01"
 *   int32         flags: bit 0 = offsets are int64
 *   int32         numNodes
 *   int64         numEdges
 *   offsets       int32[numNodes + 1] (or int64 with flag bit 0)
 *   neighbours    int32[numEdges]
 *   int64         CRC-32 of the offsets and neighbour bytes
 * </pre>
 * Writing goes through a temporary file and an atomic move, so a crash never leaves a half-written cache
 * under the final name. Reading checks the size and the checksum and names the file on any mismatch.
 */
public final class CsrCache {

    private static final byte[] MAGIC = "MWBCSR01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 4 + 8;
    private static final int BLOCK = 1 << 20;

    private CsrCache() {
    }

    /** Bytes the cache file of {@code g} takes. */
    public static long fileBytes(CsrGraph g) {
        int w = g.isCompact() ? 4 : 8;
        return HEADER + (long) w * (g.numNodes() + 1) + 4L * g.numEdges() + 8;
    }

    public static void write(CsrGraph g, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(MAGIC).putInt(g.isCompact() ? 0 : 1).putInt(g.numNodes()).putLong(g.numEdges());
            buf.flip();
            writeFully(ch, buf);
            buf.clear();
            int n = g.numNodes();
            for (int v = 0; v <= n; v++) {
                if (buf.remaining() < 8) {
                    flush(ch, buf, crc);
                }
                long off = v == n ? g.numEdges() : g.rowStart(v);
                if (g.isCompact()) {
                    buf.putInt((int) off);
                } else {
                    buf.putLong(off);
                }
            }
            for (long p = 0; p < g.numEdges(); p++) {
                if (buf.remaining() < 4) {
                    flush(ch, buf, crc);
                }
                buf.putInt(g.neighbourAt(p));
            }
            flush(ch, buf, crc);
            buf.putLong(crc.getValue());
            buf.flip();
            writeFully(ch, buf);
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void flush(FileChannel ch, ByteBuffer buf, CRC32 crc) throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        writeFully(ch, buf);
        buf.clear();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    public static CsrGraph read(Path file) throws IOException {
        String src = file.toString();
        if (!Files.exists(file)) {
            throw new NoSuchFileException(src);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, head, src, "header");
            head.flip();
            byte[] magic = new byte[8];
            head.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new GraphFormatException(src, "not a workbench CSR cache (magic MWBCSR01 missing)");
            }
            int flags = head.getInt();
            int n = head.getInt();
            long m = head.getLong();
            boolean wide = (flags & 1) != 0;
            if (n < 0 || m < 0 || (flags & ~1) != 0) {
                throw new GraphFormatException(src, "corrupt header: flags " + flags + ", " + n + " nodes, " + m
                        + " edges");
            }
            long expect = HEADER + (wide ? 8L : 4L) * (n + 1L) + 4L * m + 8;
            if (size != expect) {
                throw new GraphFormatException(src, (size < expect ? "truncated" : "oversized") + ": header "
                        + "announces " + n + " nodes and " + m + " edges (" + expect + " bytes), file has " + size);
            }
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
            long[] longOff = wide ? new long[n + 1] : null;
            int[] intOff = wide ? null : new int[n + 1];
            int filled = 0;
            while (filled < n + 1) {
                int take = (int) Math.min((long) BLOCK / (wide ? 8 : 4), n + 1L - filled);
                buf.clear().limit(take * (wide ? 8 : 4));
                readFully(ch, buf, src, "offsets");
                buf.flip();
                crc.update(buf.duplicate());
                if (wide) {
                    buf.asLongBuffer().get(longOff, filled, take);
                } else {
                    buf.asIntBuffer().get(intOff, filled, take);
                }
                filled += take;
            }
            int chunkBits = 30;
            int numChunks = (int) Math.max(1, (m + (1L << chunkBits) - 1) >>> chunkBits);
            int[][] chunks = new int[numChunks][];
            long done = 0;
            for (int c = 0; c < numChunks; c++) {
                int len = (int) Math.min(1L << chunkBits, m - done);
                chunks[c] = new int[len];
                int pos = 0;
                while (pos < len) {
                    int take = Math.min(BLOCK / 4, len - pos);
                    buf.clear().limit(take * 4);
                    readFully(ch, buf, src, "neighbours");
                    buf.flip();
                    crc.update(buf.duplicate());
                    buf.asIntBuffer().get(chunks[c], pos, take);
                    pos += take;
                }
                done += len;
            }
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, tail, src, "checksum");
            long stored = tail.flip().getLong();
            if (stored != crc.getValue()) {
                throw new GraphFormatException(src, "checksum mismatch: the file is corrupt");
            }
            try {
                if (!wide && m <= (1L << chunkBits)) {
                    return CsrGraph.of(intOff, chunks[0]);
                }
                if (longOff == null) {
                    longOff = new long[n + 1];
                    for (int i = 0; i <= n; i++) {
                        longOff[i] = intOff[i];
                    }
                }
                return CsrGraph.ofChunks(longOff, chunks, chunkBits);
            } catch (IllegalArgumentException e) {
                throw new GraphFormatException(src, e.getMessage(), e);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, String src, String what) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new GraphFormatException(src, "truncated in the " + what);
            }
        }
    }
}
