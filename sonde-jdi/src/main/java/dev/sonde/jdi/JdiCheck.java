package dev.sonde.jdi;

import com.sun.jdi.Bootstrap;

/**
 * Whether this JVM can debug others over JDWP, for {@code sonde doctor}: only sonde-jdi touches {@code com.sun.jdi}.
 *
 * @param passed whether the JDWP socket connector is there
 * @param detail what was found, one line
 * @param fix    what to do when it did not pass
 */
public record JdiCheck(boolean passed, String detail, String fix) {

    /** Looks for the JDWP socket connector Sonde attaches with. */
    public static JdiCheck run() {
        try {
            boolean socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                    .anyMatch(c -> c.name().equals("com.sun.jdi.SocketAttach"));
            return new JdiCheck(socket, socket ? "JDWP socket connector available" : "no JDWP socket connector",
                    "run Sonde on a full JDK (not a JRE or a jlinked image without jdk.jdi)");
        } catch (LinkageError e) {
            return new JdiCheck(false, "module jdk.jdi is missing", "run Sonde on a full JDK that includes jdk.jdi");
        }
    }
}
