package org.mlsysworkbench.algorithms.graph.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;

/**
 * A small, safe Python pickle reader (protocols 0-2 opcodes that numpy, scipy and plain containers use),
 * enough for the Planetoid {@code ind.*} files. It executes no code: {@code GLOBAL} yields a
 * {@link Global} name, and {@code REDUCE}/{@code NEWOBJ}/{@code BUILD} build {@link PyObject} records that
 * the caller interprets. Python 2 byte strings become ISO-8859-1 Java strings (one char per byte).
 */
final class PickleReader {

    /** A module-level name such as {@code numpy.core.multiarray._reconstruct}. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** An object built by calling {@code callable(args)}, with the state {@code BUILD} gave it. */
    static final class PyObject {
        final Global callable;
        final List<Object> args;
        Object state;
        final Map<Object, Object> items = new LinkedHashMap<>();

        PyObject(Global callable, List<Object> args) {
            this.callable = callable;
            this.args = args;
        }
    }

    private static final Object MARK = new Object();

    private final byte[] data;
    private final String source;
    private int pos;

    private PickleReader(byte[] data, String source) {
        this.data = data;
        this.source = source;
    }

    /** Parses one pickle; tuples become immutable lists, dicts maps, lists array lists. */
    static Object load(byte[] data, String source) throws GraphFormatException {
        try {
            return new PickleReader(data, source).run();
        } catch (IndexOutOfBoundsException | ClassCastException | java.util.NoSuchElementException e) {
            throw new GraphFormatException(source, "truncated or malformed pickle (" + e + ")", e);
        }
    }

    private Object run() throws GraphFormatException {
        Deque<Object> stack = new ArrayDeque<>();
        Map<Integer, Object> memo = new HashMap<>();
        while (true) {
            if (pos >= data.length) {
                throw new GraphFormatException(source, "truncated pickle: no STOP opcode");
            }
            int op = data[pos++] & 0xff;
            switch (op) {
                case 0x80 -> pos++; // PROTO
                case '.' -> { // STOP
                    return stack.pop();
                }
                case 'c' -> stack.push(new Global(line(), line()));
                case 'q' -> memo.put(data[pos++] & 0xff, stack.peek()); // BINPUT
                case 'r' -> memo.put(int32(), stack.peek()); // LONG_BINPUT
                case 'h' -> stack.push(memoGet(memo, data[pos++] & 0xff)); // BINGET
                case 'j' -> stack.push(memoGet(memo, int32())); // LONG_BINGET
                case '(' -> stack.push(MARK);
                case ')' -> stack.push(List.of());
                case 0x85 -> stack.push(List.of(stack.pop()));
                case 0x86 -> {
                    Object b = stack.pop();
                    stack.push(List.of(stack.pop(), b));
                }
                case 0x87 -> {
                    Object c = stack.pop();
                    Object b = stack.pop();
                    stack.push(List.of(stack.pop(), b, c));
                }
                case 't' -> stack.push(popToMark(stack));
                case '}' -> stack.push(new LinkedHashMap<Object, Object>());
                case ']' -> stack.push(new ArrayList<Object>());
                case 'l' -> stack.push(new ArrayList<>(popToMark(stack)));
                case 'a' -> {
                    Object v = stack.pop();
                    appendTo(stack.peek(), List.of(v));
                }
                case 'e' -> {
                    List<Object> items = popToMark(stack);
                    appendTo(stack.peek(), items);
                }
                case 's' -> {
                    Object v = stack.pop();
                    Object k = stack.pop();
                    setItems(stack.peek(), List.of(k, v));
                }
                case 'u' -> {
                    List<Object> kv = popToMark(stack);
                    setItems(stack.peek(), kv);
                }
                case 'K' -> stack.push((long) (data[pos++] & 0xff));
                case 'M' -> {
                    stack.push((long) ((data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8));
                    pos += 2;
                }
                case 'J' -> stack.push((long) int32());
                case 0x8a -> { // LONG1
                    int n = data[pos++] & 0xff;
                    long v = 0;
                    for (int i = n - 1; i >= 0; i--) {
                        v = (v << 8) | (data[pos + i] & 0xff);
                    }
                    if (n > 0 && n < 8 && (data[pos + n - 1] & 0x80) != 0) {
                        v -= 1L << (8 * n);
                    }
                    pos += n;
                    stack.push(v);
                }
                case 'G' -> {
                    stack.push(ByteBuffer.wrap(data, pos, 8).order(ByteOrder.BIG_ENDIAN).getDouble());
                    pos += 8;
                }
                case 'N' -> stack.push(None.NONE);
                case 0x88 -> stack.push(Boolean.TRUE);
                case 0x89 -> stack.push(Boolean.FALSE);
                case 'U' -> stack.push(string(data[pos++] & 0xff, StandardCharsets.ISO_8859_1));
                case 'T' -> stack.push(string(int32(), StandardCharsets.ISO_8859_1));
                case 'X' -> stack.push(string(int32(), StandardCharsets.UTF_8));
                case 'R' -> {
                    Object args = stack.pop();
                    Global g = (Global) stack.pop();
                    stack.push(new PyObject(g, castList(args)));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = stack.pop();
                    Global g = (Global) stack.pop();
                    stack.push(new PyObject(g, castList(args)));
                }
                case 'b' -> {
                    Object state = stack.pop();
                    ((PyObject) stack.peek()).state = state;
                }
                default -> throw new GraphFormatException(source, String.format("unsupported pickle opcode 0x%02x "
                        + "at byte %d", op, pos - 1));
            }
        }
    }

    /** Python's None. */
    enum None { NONE }

    private Object memoGet(Map<Integer, Object> memo, int key) throws GraphFormatException {
        Object v = memo.get(key);
        if (v == null) {
            throw new GraphFormatException(source, "pickle refers to memo entry " + key + " that was never stored");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static void appendTo(Object target, List<Object> items) {
        ((List<Object>) target).addAll(items);
    }

    @SuppressWarnings("unchecked")
    private static void setItems(Object target, List<Object> kv) {
        Map<Object, Object> map = target instanceof PyObject o ? o.items : (Map<Object, Object>) target;
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            map.put(kv.get(i), kv.get(i + 1));
        }
    }

    private static List<Object> popToMark(Deque<Object> stack) {
        ArrayList<Object> items = new ArrayList<>();
        while (stack.peek() != MARK) {
            items.add(0, stack.pop());
        }
        stack.pop();
        return items;
    }

    private int int32() {
        int v = ByteBuffer.wrap(data, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        pos += 4;
        return v;
    }

    private String string(int len, java.nio.charset.Charset cs) throws GraphFormatException {
        if (len < 0 || pos + (long) len > data.length) {
            throw new GraphFormatException(source, "truncated pickle: string of " + len + " bytes at byte " + pos);
        }
        String s = new String(data, pos, len, cs);
        pos += len;
        return s;
    }

    private String line() throws GraphFormatException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw new GraphFormatException(source, "truncated pickle inside a GLOBAL name");
        }
        return new String(data, start, pos++ - start, StandardCharsets.US_ASCII);
    }
}
