package dev.sonde.dashboard.jvm;

import com.sun.tools.attach.VirtualMachine;

import java.util.List;

/** The JVMs on this machine that this user can attach to, this process excluded. */
public final class LocalJvms {

    private LocalJvms() {
    }

    public static List<LocalJvm> list() {
        String self = Long.toString(ProcessHandle.current().pid());
        return VirtualMachine.list().stream()
                .filter(d -> !d.id().equals(self))
                .map(d -> new LocalJvm(Long.parseLong(d.id()), mainClass(d.displayName()), d.displayName()))
                .toList();
    }

    private static String mainClass(String displayName) {
        return displayName == null || displayName.isBlank() ? "?" : displayName.split("\\s+", 2)[0];
    }
}
