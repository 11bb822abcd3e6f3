package dev.sonde.core.classes;

import java.util.List;

/**
 * The loaded classes matching a pattern, sorted by name, at most as many as asked for.
 *
 * @param total how many classes matched in all (more than {@code classes.size()} when the list was cut)
 */
public record ClassList(String pattern, List<LoadedClass> classes, int total) {

    public ClassList {
        classes = List.copyOf(classes);
    }

    /** How many matching classes the list leaves out. */
    public int omitted() {
        return total - classes.size();
    }
}
