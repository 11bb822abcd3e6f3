package dev.sonde.runtime.jmx;

import java.util.Collection;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/** The open type of a JMX table and the way to fill one: rows are value arrays in column order. */
final class Table {

    record Column(String name, OpenType<?> type, String description) {
    }

    private final CompositeType rowType;
    private final TabularType type;
    private final String[] names;

    Table(String name, String description, String[] index, Column... columns) {
        names = new String[columns.length];
        String[] descriptions = new String[columns.length];
        OpenType<?>[] types = new OpenType<?>[columns.length];
        for (int i = 0; i < columns.length; i++) {
            names[i] = columns[i].name();
            descriptions[i] = columns[i].description();
            types[i] = columns[i].type();
        }
        try {
            rowType = new CompositeType(name + "Row", description, names, descriptions, types);
            type = new TabularType(name, description, rowType, index);
        } catch (OpenDataException badDefinition) {
            throw new IllegalStateException("The JMX table " + name + " is defined wrongly.", badDefinition);
        }
    }

    TabularType type() {
        return type;
    }

    TabularData of(Collection<Object[]> rows) {
        TabularDataSupport table = new TabularDataSupport(type);
        for (Object[] row : rows) {
            table.put(composite(rowType, names, row));
        }
        return table;
    }

    static CompositeDataSupport composite(CompositeType rowType, String[] names, Object[] values) {
        try {
            return new CompositeDataSupport(rowType, names, values);
        } catch (OpenDataException badRow) {
            throw new IllegalStateException("A row does not fit the JMX type " + rowType.getTypeName() + ".", badRow);
        }
    }
}
