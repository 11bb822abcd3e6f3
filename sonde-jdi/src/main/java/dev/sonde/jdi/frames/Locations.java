package dev.sonde.jdi.frames;

import com.sun.jdi.AbsentInformationException;
import dev.sonde.core.model.Location;

/** JDI locations in Sonde's model. */
public final class Locations {

    private Locations() {
    }

    public static Location of(com.sun.jdi.Location location) {
        String file;
        try {
            file = location.sourceName();
        } catch (AbsentInformationException e) {
            file = null;
        }
        int line = location.lineNumber();
        return new Location(location.declaringType().name(), location.method().name(), file, line > 0 ? line : -1);
    }
}
