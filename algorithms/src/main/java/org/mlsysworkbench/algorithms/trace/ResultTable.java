package org.mlsysworkbench.algorithms.trace;

import java.util.List;

/**
 * The result of a SQL query on the trace: column names and rows of plain Java values (String, Long,
 * Double, Boolean or null), at most the requested number of rows. Immutable.
 *
 * @param columns   column labels
 * @param rows      values, one list per row
 * @param truncated true when the query returned more rows than were kept
 */
public record ResultTable(List<String> columns, List<List<Object>> rows, boolean truncated) {

    public ResultTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }

    /** A numeric cell as double (NaN for null or text). */
    public double number(int row, int col) {
        Object v = rows.get(row).get(col);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** True when the column holds numbers in every non-null cell and at least one. */
    public boolean isNumeric(int col) {
        boolean any = false;
        for (List<Object> r : rows) {
            Object v = r.get(col);
            if (v != null && !(v instanceof Number)) {
                return false;
            }
            any |= v != null;
        }
        return any;
    }
}
