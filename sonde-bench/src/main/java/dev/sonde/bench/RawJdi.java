package dev.sonde.bench;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import dev.sonde.core.launch.HostPort;

import java.util.List;
import java.util.Map;

/** What the raw-JDI floors of the benchmarks share: attaching with plain JDI and finding the target's class. */
public final class RawJdi {

    private RawJdi() {
    }

    /** Attaches with JDI's own socket connector, retrying while the previous debugger is still letting go of the agent. */
    public static VirtualMachine attach(HostPort address) throws Exception {
        AttachingConnector connector = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
        Map<String, Connector.Argument> arguments = connector.defaultArguments();
        arguments.get("hostname").setValue(address.host());
        arguments.get("port").setValue(Integer.toString(address.port()));
        for (int attempt = 0; ; attempt++) {
            try {
                return connector.attach(arguments);
            } catch (java.net.ConnectException e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** A class of the target, once its JVM has loaded it. */
    public static ReferenceType loaded(VirtualMachine vm, String className) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            List<ReferenceType> types = vm.classesByName(className);
            if (!types.isEmpty()) {
                return types.get(0);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the target never loaded " + className);
    }
}
