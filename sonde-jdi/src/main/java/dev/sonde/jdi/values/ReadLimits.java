package dev.sonde.jdi.values;

/**
 * How much of a value to read.
 *
 * @param maxElements  array and collection elements shown in a summary
 * @param maxStringLength characters of a string shown before it is cut
 */
public record ReadLimits(int maxElements, int maxStringLength) {

    public static final ReadLimits DEFAULT = new ReadLimits(10, 500);
}
