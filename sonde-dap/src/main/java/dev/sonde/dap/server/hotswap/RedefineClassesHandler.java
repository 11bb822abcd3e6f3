package dev.sonde.dap.server.hotswap;

import com.google.gson.JsonObject;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The custom {@code redefineClasses} request of microsoft/java-debug: replaces the classes changed in the watched
 * output directories now, without waiting for the watcher, and answers {@code changedClasses} and, when the JVM
 * refused, {@code errorMessage}.
 */
public final class RedefineClassesHandler implements RequestHandler<JsonObject> {

    /** The response body, as java-debug answers it. */
    record RedefineClassesResponse(List<String> changedClasses, String errorMessage) {
    }

    @Override
    public Class<JsonObject> argumentsType() {
        return JsonObject.class;
    }

    @Override
    public boolean argumentsOptional() {
        return true;
    }

    @Override
    public CompletableFuture<RedefineClassesResponse> handle(String command, JsonObject arguments, DebugContext context) {
        context.session();
        HotCodeReplacer replacer = context.hotCodeReplacer().orElseThrow(() -> SondeException.badState(
                "No output directories are watched; add the build's class directories to 'classPaths' in the debug configuration."));
        return replacer.replaceChanged().thenApply(result -> switch (result) {
            case null -> new RedefineClassesResponse(List.of(), null);
            case Redefinition.Replaced replaced -> new RedefineClassesResponse(replaced.classes(), null);
            case Redefinition.Refused refused -> new RedefineClassesResponse(List.of(), refused.reason());
        });
    }
}
