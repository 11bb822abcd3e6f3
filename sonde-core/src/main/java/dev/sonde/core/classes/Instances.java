package dev.sonde.core.classes;

import dev.sonde.core.model.Value;

import java.util.List;

/**
 * The live instances of a class, read from the heap without running code in the target.
 *
 * @param count the number of instances of exactly this class (its subclasses' are their own)
 * @param first the first instances found, as values whose {@link Value#ref()} can be expanded
 */
public record Instances(LoadedClass type, long count, List<Value> first) {

    public Instances {
        first = List.copyOf(first);
    }
}
