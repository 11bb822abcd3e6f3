package dev.sonde.cli.inspect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rows of text in aligned columns: the first column to the left, the others (figures) to the right unless told otherwise. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> leftAligned = new HashSet<>(Set.of(0));

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(Object... cells) {
        String[] texts = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            texts[i] = String.valueOf(cells[i]);
        }
        rows.add(texts);
        return this;
    }

    /** Aligns these columns (0 is the first) to the left, as text rather than figures. */
    TextTable alignLeft(int... columns) {
        for (int column : columns) {
            leftAligned.add(column);
        }
        return this;
    }

    List<String> lines(String indent) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String padding = " ".repeat(widths[i] - row[i].length());
                line.append(leftAligned.contains(i) ? row[i] + padding : padding + row[i]);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
