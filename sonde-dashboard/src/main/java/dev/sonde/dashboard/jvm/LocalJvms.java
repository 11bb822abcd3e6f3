package dev.sonde.dashboard.jvm;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The local JVMs this user can attach to, through the Attach API; {@code sonde ps} and the dashboard list them. */
public final class LocalJvms {

    private LocalJvms() {
    }

    /**
     * Every JVM the Attach API lists, except this process, by pid. A JVM started with {@code -XX:-UsePerfData}
     * is not listed, though it may still be attachable by pid.
     */
    public static List<LocalJvm> list() {
        String self = Long.toString(ProcessHandle.current().pid());
        List<LocalJvm> jvms = new ArrayList<>();
        for (VirtualMachineDescriptor descriptor : VirtualMachine.list()) {
            if (!descriptor.id().equals(self)) {
                toLocalJvm(descriptor).ifPresent(jvms::add);
            }
        }
        jvms.sort(Comparator.comparingLong(LocalJvm::pid));
        return jvms;
    }

    /** The listed JVM with this pid. */
    public static Optional<LocalJvm> find(long pid) {
        return list().stream().filter(jvm -> jvm.pid() == pid).findFirst();
    }

    /** {@code com.acme.Main --port 8080} → {@code com.acme.Main}; {@code ?} for a JVM that does not say. */
    static String mainClass(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return "?";
        }
        return displayName.strip().split("\\s+", 2)[0];
    }

    private static Optional<LocalJvm> toLocalJvm(VirtualMachineDescriptor descriptor) {
        try {
            String displayName = descriptor.displayName() == null ? "" : descriptor.displayName();
            return Optional.of(new LocalJvm(Long.parseLong(descriptor.id()), mainClass(displayName), displayName));
        } catch (NumberFormatException notAPid) {
            return Optional.empty();
        }
    }
}
