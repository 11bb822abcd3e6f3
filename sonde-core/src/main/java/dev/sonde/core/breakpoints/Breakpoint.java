package dev.sonde.core.breakpoints;

import dev.sonde.core.model.Location;

import java.util.List;

/**
 * A breakpoint and what the backend made of it.
 *
 * @param id        session-unique, starting at 1
 * @param spec      where the user asked for it
 * @param options   how it behaves
 * @param verified  set in at least one loaded class
 * @param locations the code locations it is set at (empty while unverified)
 * @param reason    for an unverified breakpoint, why and what happens next; null when verified
 */
public record Breakpoint(int id, BreakpointSpec spec, BreakpointOptions options, boolean verified,
                         List<Location> locations, String reason) {

    public Breakpoint {
        locations = List.copyOf(locations);
    }

    public static Breakpoint verified(int id, BreakpointSpec spec, BreakpointOptions options, List<Location> locations) {
        return new Breakpoint(id, spec, options, true, locations, null);
    }

    public static Breakpoint unverified(int id, BreakpointSpec spec, BreakpointOptions options, String reason) {
        return new Breakpoint(id, spec, options, false, List.of(), reason);
    }

    /** One line for a console: {@code 1 Orders.java:42 (verified: Orders.place:42)}. */
    public String summary() {
        StringBuilder out = new StringBuilder().append(id).append(' ').append(spec.describe());
        if (options.temporary()) {
            out.append(" [temporary]");
        }
        out.append(options.describe().isEmpty() ? "" : " " + options.describe());
        if (verified && locations.isEmpty()) {
            out.append(" — set");
        } else if (verified) {
            out.append(" — set at ");
            for (int i = 0; i < locations.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(locations.get(i));
            }
        } else {
            out.append(" — pending: ").append(reason);
        }
        return out.toString();
    }
}
