package dev.sonde.dap.server.sources;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.LoadedSourcesArguments;
import org.eclipse.lsp4j.debug.LoadedSourcesResponse;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourcePresentationHint;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * {@code loadedSources}: the source files of the classes the target has loaded (JDK classes left out), each with the
 * client's path when a source root holds it.
 */
public final class LoadedSourcesHandler implements RequestHandler<LoadedSourcesArguments> {

    @Override
    public Class<LoadedSourcesArguments> argumentsType() {
        return LoadedSourcesArguments.class;
    }

    @Override
    public boolean argumentsOptional() {
        return true;
    }

    @Override
    public CompletableFuture<LoadedSourcesResponse> handle(String command, LoadedSourcesArguments arguments, DebugContext context) {
        return context.session().async().loadedSources().thenApply(paths -> {
            LoadedSourcesResponse response = new LoadedSourcesResponse();
            response.setSources(paths.stream().map(path -> {
                Source source = new Source();
                source.setName(path.substring(path.lastIndexOf('/') + 1));
                context.sources().find(path).map(Path::toString).ifPresentOrElse(source::setPath,
                        () -> source.setPresentationHint(SourcePresentationHint.DEEMPHASIZE));
                return source;
            }).toArray(Source[]::new));
            return response;
        });
    }
}
