package dev.sonde.dap.server.threads;

import dev.sonde.core.model.Location;
import dev.sonde.core.model.Rendering;

/** How a frame is named in a client's call stack: {@code Orders.place}, {@code Orders$1.run}, {@code Orders$$Lambda.apply}. */
final class FrameNames {

    private FrameNames() {
    }

    static String of(Location location) {
        String className = location.className();
        int hidden = className.indexOf('/');
        if (hidden > 0) {
            // A hidden class (a lambda's): its name ends with an address that helps nobody.
            className = className.substring(0, hidden);
        }
        String simple = Rendering.simpleName(className);
        return location.method() == null ? simple : simple + "." + location.method();
    }
}
