package dev.sonde.dap.server.variables;

import dev.sonde.core.model.Completion;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import dev.sonde.dap.server.threads.FrameRef;
import org.eclipse.lsp4j.debug.CompletionItem;
import org.eclipse.lsp4j.debug.CompletionItemType;
import org.eclipse.lsp4j.debug.CompletionsArguments;
import org.eclipse.lsp4j.debug.CompletionsResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code completions} in the debug console: names in scope, or after a dot the fields and methods of the static type
 * of the expression before it, with their types and signatures as the detail. Runs no code in the target.
 */
public final class CompletionsHandler implements RequestHandler<CompletionsArguments> {

    @Override
    public Class<CompletionsArguments> argumentsType() {
        return CompletionsArguments.class;
    }

    @Override
    public CompletableFuture<CompletionsResponse> handle(String command, CompletionsArguments arguments, DebugContext context) {
        String text = Require.present(arguments.getText(), command, "text");
        int cursor = Math.clamp((long) arguments.getColumn() - context.conventions().firstColumn(), 0, text.length());
        FrameRef frame = arguments.getFrameId() != null ? context.frames().get(arguments.getFrameId()) : EvaluateHandler.topFrameOfStop(context);
        int start = cursor;
        while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        int wordStart = start;
        int typed = cursor - wordStart;
        return context.session().async().completions(frame.threadId(), frame.index(), text, cursor).thenApply(completions -> {
            CompletionsResponse response = new CompletionsResponse();
            response.setTargets(completions.stream().map(completion -> {
                CompletionItem item = new CompletionItem();
                item.setLabel(completion.label());
                item.setText(completion.label());
                item.setType(type(completion.kind()));
                item.setDetail(completion.detail());
                // The label replaces the identifier that ends at the cursor.
                item.setStart(wordStart);
                item.setLength(typed);
                return item;
            }).toArray(CompletionItem[]::new));
            return response;
        });
    }

    private static CompletionItemType type(Completion.Kind kind) {
        return switch (kind) {
            case VARIABLE -> CompletionItemType.VARIABLE;
            case FIELD -> CompletionItemType.FIELD;
            case METHOD -> CompletionItemType.METHOD;
            case CLASS -> CompletionItemType.CLASS;
        };
    }
}
